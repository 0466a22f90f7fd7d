import type { SessionModel } from '../model/model.ts';
import { docStarted, docsOfKind, stageReached } from '../model/progress.ts';
import { STAGES, type Stage, stageIndex } from '../pipeline/stages.ts';
import { editJson, upstreamJson } from './json-edit.ts';

/** Upstream's stage statuses in `session_state.json`. */
export const STAGE_STATUSES = ['pending', 'in_progress', 'completed'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];
export type StageMap = Record<Stage, StageStatus>;

/**
 * Stage statuses read from the docs, in the spirit of upstream's auto-detection: stages before the
 * one reached are completed when their doc has content, the one reached is in progress, the rest
 * pending. A new session from the templates is all pending, as upstream initialises it.
 */
export function derivedStages(session: SessionModel): StageMap {
  const reached = stageReached(session);
  const front = reached === undefined ? -1 : stageIndex(reached);
  const started = (stage: Stage) => docsOfKind(session, stage).some((d) => docStarted(d.facts));
  return Object.fromEntries(
    STAGES.map((stage, i): [Stage, StageStatus] => [
      stage,
      i === front ? 'in_progress' : i < front && started(stage) ? 'completed' : 'pending',
    ]),
  ) as StageMap;
}

/** A session nobody has worked on yet, as upstream initialises one. */
export const pendingStages = (): StageMap =>
  Object.fromEntries(STAGES.map((s): [Stage, StageStatus] => [s, 'pending'])) as StageMap;

/** Statuses when a session moves to `stage`: earlier stages completed, it in progress, later pending. */
export const stagesAt = (stage: Stage): StageMap =>
  Object.fromEntries(
    STAGES.map((s): [Stage, StageStatus] => [
      s,
      stageIndex(s) < stageIndex(stage) ? 'completed' : s === stage ? 'in_progress' : 'pending',
    ]),
  ) as StageMap;

/** A new project `session_state.json`, key for key as upstream's `init_state` writes it. */
export function newStateText(
  project: string,
  session: string,
  isBlueprint: boolean,
  stages: StageMap,
  stamp: string,
): string {
  return upstreamJson({
    project_name: project,
    session_id: session,
    is_blueprint: isBlueprint,
    stages,
    last_sync: null,
    validation_status: 'unknown',
    created_at: stamp,
  });
}

/** The session a project's `session_state.json` describes, when it parses. */
export function stateSession(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const id = (JSON.parse(text) as { session_id?: unknown }).session_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The stage map a state file holds (only upstream's values), when it parses. */
export function stateStages(text: string | undefined): Partial<StageMap> | undefined {
  if (text === undefined) return undefined;
  try {
    const stages = (JSON.parse(text) as { stages?: unknown }).stages;
    if (!stages || typeof stages !== 'object') return undefined;
    return Object.fromEntries(
      Object.entries(stages).filter(
        ([k, v]) => (STAGES as readonly string[]).includes(k) && STAGE_STATUSES.includes(v as StageStatus),
      ),
    ) as Partial<StageMap>;
  } catch {
    return undefined;
  }
}

/** The state file with some stage statuses set in place (upstream's `update_stage`). */
export const withStages = (text: string, stages: Partial<StageMap>, file = 'session_state.json'): string =>
  editJson(
    text,
    Object.entries(stages).map(([stage, status]) => [['stages', stage], status] as const),
    file,
  );
