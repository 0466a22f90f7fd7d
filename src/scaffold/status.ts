import { isMap, parseDocument } from 'yaml';

/** Session statuses as the orchestrator's session.json defines them. */
export type SessionStatus = 'draft' | 'in_progress' | 'review' | 'complete' | 'archived';

/** session.json with a new status, keeping every other key and the file's 2-space style. */
export function withJsonStatus(text: string, status: SessionStatus, now: Date): string {
  const data = JSON.parse(text) as Record<string, unknown>;
  data.status = status;
  if ('updated_at' in data) data.updated_at = now.toISOString();
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** meta.md with `status:` set in its front matter (added when missing), comments and order kept. */
export function withFrontMatterStatus(text: string, status: SessionStatus): string {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n|$)/.exec(text);
  if (!match) return `---\nstatus: ${status}\n---\n\n${text}`;
  const doc = parseDocument(match[1]!);
  if (!isMap(doc.contents)) return text.replace(match[0], `---\nstatus: ${status}\n---${match[2]}`);
  doc.set('status', status);
  return text.replace(match[0], `---\n${doc.toString().trimEnd()}\n---${match[2]}`);
}
