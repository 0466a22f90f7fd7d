import type { ProjectModel } from '../model/model.ts';
import { docStarted } from '../model/progress.ts';
import { stageOfKind } from '../pipeline/stages.ts';
import type { Evidence } from './claims.ts';

/** Why a piece of evidence no longer backs anything, or undefined while it does. */
export function deadEvidence(project: ProjectModel, evidence: Evidence): string | undefined {
  const session = project.sessions.find((s) => s.name === evidence.session);
  if (!session) return `session ${evidence.session} no longer exists`;
  const live = session.docs.some((d) => {
    const stage = stageOfKind(d.kind);
    return stage !== undefined && evidence.stages.includes(stage) && docStarted(d.facts);
  });
  return live ? undefined : `${evidence.session} has no ${evidence.stages.join(' or ')} doc with content`;
}
