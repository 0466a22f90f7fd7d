import type { DocFacts } from '../pipeline/facts.ts';
import { type DocKind, STAGES, type Stage, stageIndex, stageOfKind } from '../pipeline/stages.ts';
import type { DocModel, SessionModel } from './model.ts';

/** Sections templates fill with how-to text: their content says nothing about progress. */
const GUIDANCE_SECTIONS = new Set(['instructions']);

/**
 * A doc is started once one of its sections holds real content, not just markers or placeholders.
 * Derived from the doc itself, never stored, so it cannot drift from what the repo says.
 */
export function docStarted(facts: DocFacts): boolean {
  const sections = facts.headings.filter((h) => h.depth >= 2);
  if (sections.length === 0) return facts.markers.length === 0 && facts.lineCount > 3;
  return sections.some((h) => h.filled && !GUIDANCE_SECTIONS.has(h.key));
}

export const docsOfKind = (session: SessionModel, kind: DocKind): DocModel[] =>
  session.docs.filter((d) => d.kind === kind);

/** The primary doc of a kind: the canonical file name when present, else the first. */
export function primaryDoc(session: SessionModel, kind: DocKind): DocModel | undefined {
  const docs = docsOfKind(session, kind);
  const canonical =
    /(?:^|\/)(?:intent|context|spec|plan|test-plan|tasks|README|feedback|meta|implementation)\.md$/i;
  return docs.find((d) => canonical.test(d.path)) ?? docs[0];
}

/** Furthest stage with a started doc. */
export function stageReached(session: SessionModel): Stage | undefined {
  let reached: Stage | undefined;
  for (const doc of session.docs) {
    const stage = stageOfKind(doc.kind);
    if (!stage || !docStarted(doc.facts)) continue;
    if (!reached || stageIndex(stage) > stageIndex(reached)) reached = stage;
  }
  return reached;
}

/** The stage being worked on: the one reached, or the first stage when nothing is started yet. */
export const workFront = (session: SessionModel): Stage => stageReached(session) ?? STAGES[0];

const CLOSED = new Set(['complete', 'completed', 'closed', 'done', 'archived']);

/** Status as the session's metadata states it (orchestrator `session.json` or `meta.md` front matter). */
export function sessionStatus(session: SessionModel): string | undefined {
  const json = session.dataFiles.get('session.json');
  if (json) {
    try {
      const status = (JSON.parse(json.text) as { status?: unknown }).status;
      if (typeof status === 'string') return status;
    } catch {
      // Malformed metadata is reported by the session-metadata rule.
    }
  }
  const meta = primaryDoc(session, 'meta')?.facts.frontMatter?.data;
  if (meta && typeof meta === 'object' && 'status' in meta && typeof meta.status === 'string')
    return meta.status;
  return undefined;
}

export const isClosed = (session: SessionModel): boolean => CLOSED.has(sessionStatus(session) ?? '');
