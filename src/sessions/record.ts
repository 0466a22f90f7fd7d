import type { Range } from '../diagnostics.ts';
import { SessionJsonSchema } from '../model/metadata.ts';
import type { DocModel, SessionModel } from '../model/model.ts';
import { toRange } from '../pipeline/facts.ts';

/** The orchestrator's id of a project's blueprint session. */
export const BLUEPRINT = '__blueprint__';

/** Upstream's values (its `SessionMetadata` refuses others). */
export const SESSION_STATUSES = ['draft', 'in_progress', 'review', 'complete', 'archived'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const SESSION_TYPES = ['feature', 'exploratory'] as const;
export const COLLABORATOR_ROLES = ['owner', 'contributor', 'reviewer', 'viewer'] as const;

export interface Collaborator {
  name: string;
  role?: string;
  joined_at?: string;
}

/** A status set past the gate with `--force`: who did it, when, and what was blocking. */
export interface StatusOverride {
  status: string;
  by: string;
  at: string;
  blocking: string[];
}

/** A session's metadata, read from whichever files it has (session.json first, then meta.md). */
export interface SessionRecord {
  id: string;
  name?: string;
  type?: string;
  description?: string;
  isBlueprint: boolean;
  parent?: string;
  related: string[];
  owner?: string;
  collaborators: Collaborator[];
  tags: string[];
  status?: string;
  createdAt?: string;
  updatedAt?: string;
  override?: StatusOverride;
  /** Paths of the metadata files it was read from. */
  files: { json?: string; meta?: string; owner?: string };
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);

/** session.json as data, or undefined when it is missing or malformed (IDSE006 reports that). */
export function sessionJson(session: SessionModel): Record<string, unknown> | undefined {
  const file = session.dataFiles.get('session.json');
  if (!file) return undefined;
  try {
    const data: unknown = JSON.parse(file.text);
    return SessionJsonSchema.safeParse(data).success ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The session's `metadata/meta.md` (not the other docs of its metadata folder, like blueprint.md). */
export const metaDoc = (session: SessionModel): DocModel | undefined =>
  session.docs.find((d) => d.kind === 'meta' && /(?:^|\/)meta\.md$/i.test(d.path));

/** meta.md front matter as data, when it parsed to a mapping. */
export function metaFrontMatter(session: SessionModel): Record<string, unknown> | undefined {
  const data = metaDoc(session)?.facts.frontMatter?.data;
  return data && typeof data === 'object' && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : undefined;
}

/**
 * The owner a `.owner` file names: an `Owner:` or `Client ID:` line (upstream), else its first line
 * that is not a `Key: value` line (a plain-text owner, as older repos keep it).
 */
export function ownerFileOwner(content: string): string | undefined {
  const lines = content.split(/\r?\n/).map((l) => l.trim());
  const keyed = lines.find((l) => /^(?:owner|client id)\s*:/i.test(l));
  if (keyed) return text(keyed.replace(/^[^:]*:\s*/, ''));
  return lines.find((l) => l !== '' && !/^[\w ]+:\s/.test(l));
}

function collaboratorsOf(v: unknown): Collaborator[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((c): Collaborator[] => {
    if (typeof c === 'string') return [{ name: c }];
    if (c && typeof c === 'object' && typeof (c as Collaborator).name === 'string')
      return [c as Collaborator];
    return [];
  });
}

function overrideOf(v: unknown): StatusOverride | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const status = text(o.status);
  return status
    ? { status, by: text(o.by) ?? 'unknown', at: text(o.at) ?? 'unknown', blocking: strings(o.blocking) }
    : undefined;
}

export function readRecord(session: SessionModel): SessionRecord {
  const json = sessionJson(session);
  const fm = metaFrontMatter(session);
  const ownerFile = session.dataFiles.get('.owner');
  const from = <T>(pick: (data: Record<string, unknown>) => T | undefined): T | undefined =>
    (json && pick(json)) ?? (fm && pick(fm));
  const isBlueprint = json?.is_blueprint === true || session.name === BLUEPRINT;
  const created = fm?.created instanceof Date ? fm.created.toISOString().slice(0, 10) : text(fm?.created);
  const files = {
    ...(session.dataFiles.get('session.json') ? { json: session.dataFiles.get('session.json')!.path } : {}),
    ...(metaDoc(session) ? { meta: metaDoc(session)!.path } : {}),
    ...(ownerFile ? { owner: ownerFile.path } : {}),
  };
  const owner = from((d) => text(d.owner)) ?? (ownerFile ? ownerFileOwner(ownerFile.text) : undefined);
  const override = from((d) => overrideOf(d.status_override));
  const optional = {
    name: text(json?.name),
    type: text(json?.session_type) ?? (isBlueprint ? 'blueprint' : undefined),
    description: text(json?.description),
    parent: text(json?.parent_session),
    owner,
    status: from((d) => text(d.status)),
    createdAt: text(json?.created_at) ?? created,
    updatedAt: text(json?.updated_at),
    override,
  };
  return {
    id: session.name,
    isBlueprint,
    related: strings(json?.related_sessions),
    collaborators: collaboratorsOf(json?.collaborators),
    tags: json ? strings(json.tags) : strings(fm?.tags),
    files,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/** Where a finding about a session's metadata points: a key's line in session.json, or meta.md's front matter. */
export interface MetadataPlace {
  file: string;
  range?: Range;
}

/** The line of `"key":` in a JSON text (the first one), as a range over the key. */
export function jsonKeyRange(text: string, key: string): Range | undefined {
  const lines = text.split('\n');
  const needle = `"${key}"`;
  const index = lines.findIndex((l) => l.includes(needle));
  if (index === -1) return undefined;
  const column = lines[index]!.indexOf(needle) + 1;
  return { start: { line: index + 1, column }, end: { line: index + 1, column: column + needle.length } };
}

/**
 * Where a session's metadata says `key`: its line in session.json, else meta.md's front matter, else
 * `.owner`, else the session folder.
 */
export function metadataPlace(session: SessionModel, key: string): MetadataPlace {
  const json = session.dataFiles.get('session.json');
  const jsonRange = json && jsonKeyRange(json.text, key);
  if (json && (jsonRange || !metaFrontMatter(session)))
    return { file: json.path, ...(jsonRange ? { range: jsonRange } : {}) };
  const meta = metaDoc(session);
  const fm = meta?.facts.frontMatter;
  if (meta && fm) return { file: meta.path, range: toRange(fm.span) };
  return { file: session.dataFiles.get('.owner')?.path ?? meta?.path ?? session.dir };
}

/** When a session began, as a date (session.json `created_at`, else meta.md's `created`). */
export function createdDate(record: SessionRecord): Date | undefined {
  const date = record.createdAt ? new Date(record.createdAt) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}
