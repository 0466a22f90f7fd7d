import { isMap, parseDocument } from 'yaml';
import { editJson, type JsonPath } from './json-edit.ts';
import type { Collaborator, StatusOverride } from './record.ts';

/**
 * What a command changes in a session's metadata; fields left out stay as they are. The files that
 * carry a field are kept in step: session.json (upstream's record), the front matter of meta.md and
 * the `Owner:` line of `.owner`.
 */
export interface MetadataChange {
  owner?: string;
  status?: string;
  tags?: readonly string[];
  collaborators?: readonly Collaborator[];
  /** Recorded with a forced status; `null` clears one left by an earlier forced change. */
  override?: StatusOverride | null;
}

/**
 * session.json with a change applied in place. `updated_at` is stamped on every change, as upstream's
 * `SessionMetadata.update` does; a cleared override loses its key.
 */
export function editSessionJson(text: string, change: MetadataChange, stamp: string, file?: string): string {
  const edits: [JsonPath, unknown][] = [];
  if (change.owner !== undefined) edits.push([['owner'], change.owner]);
  if (change.collaborators !== undefined) edits.push([['collaborators'], change.collaborators]);
  if (change.tags !== undefined) edits.push([['tags'], change.tags]);
  if (change.status !== undefined) edits.push([['status'], change.status]);
  edits.push([['updated_at'], stamp]);
  if (change.override !== undefined) edits.push([['status_override'], change.override ?? undefined]);
  return editJson(text, edits, file);
}

/**
 * meta.md with the fields its front matter carries (owner, status, tags) set; the override goes
 * there only for a session that has no session.json to hold it. Unchanged when nothing applies.
 */
export function editMetaFrontMatter(text: string, change: MetadataChange, withOverride: boolean): string {
  const entries: [string, unknown][] = [];
  if (change.owner !== undefined) entries.push(['owner', change.owner]);
  if (change.status !== undefined) entries.push(['status', change.status]);
  if (change.tags !== undefined) entries.push(['tags', change.tags]);
  if (withOverride && change.override !== undefined)
    entries.push(['status_override', change.override ?? undefined]);
  return entries.length > 0 ? withFrontMatter(text, entries) : text;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n|$)/;

/**
 * meta.md with keys set in its front matter (`undefined` deletes one), comments and key order kept;
 * a doc without front matter gets one. Lists are written in flow style, as the template has them.
 */
export function withFrontMatter(text: string, entries: readonly (readonly [string, unknown])[]): string {
  const match = FRONT_MATTER.exec(text);
  const doc = parseDocument(match && isMap(parseDocument(match[1]!).contents) ? match[1]! : '{}');
  for (const [key, value] of entries) {
    if (value === undefined) doc.delete(key);
    else doc.set(key, doc.createNode(value, { flow: Array.isArray(value) }));
  }
  if (!isMap(doc.contents)) return text;
  doc.contents.flow = false;
  const yaml = doc.toString().trimEnd();
  if (!match) return `---\n${yaml}\n---\n\n${text}`;
  return `---\n${yaml}\n---${match[2]}${text.slice(match[0].length)}`;
}

/** `.owner` with its `Owner:` line set (upstream writes one below `Created:` when an owner is given). */
export function withOwnerLine(text: string, owner: string): string {
  if (/^owner\s*:.*$/im.test(text)) return text.replace(/^owner\s*:.*$/im, `Owner: ${owner}`);
  const body = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${body}Owner: ${owner}\n`;
}
