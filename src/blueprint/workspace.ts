import type { ProjectModel, SessionModel, Workspace } from '../model/model.ts';
import { BLUEPRINT } from '../sessions/record.ts';
import { type Blueprint, type Claim, parseBlueprint } from './claims.ts';
import { parsePromotionRecords, withRecords } from './records.ts';

/** A project's blueprint as read from the workspace: where it is, its sections and its claims. */
export interface ProjectBlueprint {
  project: ProjectModel;
  session: SessionModel;
  file: string;
  text: string;
  blueprint: Blueprint;
  /** Claims with upstream's meta.md records folded in. */
  claims: Claim[];
}

/** The project's blueprint: `metadata/blueprint.md` of `__blueprint__`, else of any session that has one. */
export function blueprintOf(project: ProjectModel): ProjectBlueprint | undefined {
  const sessions = [...project.sessions].sort(
    (a, b) => Number(b.name === BLUEPRINT) - Number(a.name === BLUEPRINT),
  );
  for (const session of sessions) {
    const file = session.dataFiles.get('blueprint.md');
    if (!file) continue;
    const blueprint = parseBlueprint(file.text);
    const meta = session.dataFiles.get('meta.md');
    const claims = meta ? withRecords(blueprint.claims, parsePromotionRecords(meta.text)) : blueprint.claims;
    return { project, session, file: file.path, text: file.text, blueprint, claims };
  }
  return undefined;
}

export function* blueprintsOf(workspace: Workspace): Generator<ProjectBlueprint> {
  for (const project of workspace.projects) {
    const found = blueprintOf(project);
    if (found) yield found;
  }
}
