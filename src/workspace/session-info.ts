import type { SessionModel } from './model.ts';
import { primaryDoc } from './progress.ts';

/**
 * A field of the session's metadata: orchestrator `session.json` first, then `meta.md` front matter
 * (under `fallback`, its name there). Malformed metadata reads as absent; IDSE006 reports it.
 */
function metadataField(session: SessionModel, field: string, fallback = field): unknown {
  const json = session.dataFiles.get('session.json');
  if (json) {
    try {
      const value = (JSON.parse(json.text) as Record<string, unknown>)[field];
      if (value !== undefined && value !== null && value !== '') return value;
    } catch {
      // Reported by session-metadata (IDSE006).
    }
  }
  const front = primaryDoc(session, 'meta')?.facts.frontMatter?.data;
  return front && typeof front === 'object' ? (front as Record<string, unknown>)[fallback] : undefined;
}

/** Who owns a session, as its metadata says. */
export function sessionOwner(session: SessionModel): string | undefined {
  const owner = metadataField(session, 'owner');
  return typeof owner === 'string' && owner ? owner : undefined;
}

/** When a session began: session.json `created_at`, else meta.md's `created`. */
export function sessionCreated(session: SessionModel): Date | undefined {
  const value = metadataField(session, 'created_at', 'created');
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}
