import type { Config } from '../config/schema.ts';
import { validate } from '../engine.ts';
import type { FactsResolver } from '../model/facts-key.ts';
import { docsOfKind, stageReached } from '../model/progress.ts';
import { traceOf } from '../model/trace.ts';
import type { Stage } from '../pipeline/stages.ts';
import type { Snapshot } from './history.ts';

/** One session as one commit left it. */
export interface SessionPoint {
  stage?: Stage;
  errors: number;
  markers: number;
  /** Keys of ticked tasks. */
  done: string[];
  /** Task keys the feedback cites. */
  cited: string[];
}

/** The workspace as one commit left it, reduced to what the metrics need. */
export interface HistoryPoint {
  oid: string;
  time: number;
  errors: number;
  markers: number;
  /** By `project/session`. */
  sessions: Record<string, SessionPoint>;
}

/** Validate a snapshot with the engine and keep what the metrics read. */
export function pointOf(snapshot: Snapshot, config: Config, facts: FactsResolver): HistoryPoint {
  const { workspace, diagnostics } = validate({ files: snapshot.files, config, facts });
  const sessions: Record<string, SessionPoint> = {};
  let markers = 0;
  for (const project of workspace.projects) {
    for (const session of project.sessions) {
      const trace = traceOf(session, config);
      const stage = stageReached(session);
      const sessionMarkers = session.docs.reduce((n, d) => n + d.facts.markers.length, 0);
      markers += sessionMarkers;
      sessions[`${session.project}/${session.name}`] = {
        ...(stage ? { stage } : {}),
        errors: diagnostics.filter(
          (d) => d.severity === 'error' && d.project === session.project && d.session === session.name,
        ).length,
        markers: sessionMarkers,
        done: trace.allTasks.filter((t) => t.task.checked && t.task.key).map((t) => t.task.key!),
        cited: docsOfKind(session, 'feedback').flatMap((d) => d.facts.taskRefs.map((r) => r.key)),
      };
    }
  }
  return {
    oid: snapshot.oid,
    time: snapshot.time,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    markers,
    sessions,
  };
}
