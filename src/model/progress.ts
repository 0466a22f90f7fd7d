import type { DocFacts } from '../pipeline/facts.ts';
import { type DocKind, STAGES, type Stage, stageIndex, stageOfKind } from '../pipeline/stages.ts';
import type { DocModel, SessionModel } from './model.ts';

/** Sections templates fill with how-to text: their content says nothing about progress. */
const GUIDANCE_SECTIONS = new Set(['instruction']);

/**
 * A doc is started once one of its sections holds real content: not just markers, placeholders or
 * lines of an upstream template. A pointer, a stub ("Placeholder spec for the x session") and a
 * scaffold whose title is still an unrendered `{{ variable }}` are never started. Derived from the doc
 * itself, never stored, so it cannot drift from what the repo says.
 */
export function docStarted(facts: DocFacts): boolean {
  if (facts.pointer || facts.title?.includes('{{')) return false;
  if (facts.scaffolds.some((s) => s.kind === 'stub')) return false;
  const sections = facts.headings.filter((h) => h.depth >= 2);
  if (sections.length === 0) return facts.filled && facts.markers.length === 0 && facts.lineCount > 3;
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

const reachedBySession = new WeakMap<SessionModel, { stage: Stage | undefined }>();

/** Furthest stage with a started doc; worked out once per session (rules ask for it often). */
export function stageReached(session: SessionModel): Stage | undefined {
  const known = reachedBySession.get(session);
  if (known) return known.stage;
  let reached: Stage | undefined;
  for (const doc of session.docs) {
    const stage = stageOfKind(doc.kind);
    if (!stage || !docStarted(doc.facts)) continue;
    if (!reached || stageIndex(stage) > stageIndex(reached)) reached = stage;
  }
  reachedBySession.set(session, { stage: reached });
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

/**
 * The project's `__blueprint__` session (or one whose metadata says `is_blueprint`): product-level
 * governance docs, free-form rather than a feature's templates.
 */
export function isBlueprint(session: SessionModel): boolean {
  if (session.name === '__blueprint__') return true;
  for (const name of ['session.json', 'session_state.json']) {
    const file = session.dataFiles.get(name);
    if (!file) continue;
    try {
      if ((JSON.parse(file.text) as { is_blueprint?: unknown }).is_blueprint === true) return true;
    } catch {
      // Malformed metadata is reported by the session-metadata rule.
    }
  }
  return false;
}

/** Whether a doc of this kind belongs to a stage after the session's work front (metadata always does). */
export function aheadOfFront(session: SessionModel, kind: DocKind): boolean {
  const stage = stageOfKind(kind);
  return stage === undefined || stageIndex(stage) > stageIndex(workFront(session));
}

/** Whether the session has moved past the stage a doc of this kind belongs to (so the doc is needed). */
export function stagePassed(session: SessionModel, kind: DocKind): boolean {
  const stage = stageOfKind(kind);
  const reached = stageReached(session);
  return stage !== undefined && reached !== undefined && stageIndex(stage) < stageIndex(reached);
}
