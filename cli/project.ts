import { IdseError } from '../src/errors.ts';
import type { ProjectModel, Workspace } from '../src/model/model.ts';

/** The project a command acts on: the one named, or the only one there is. */
export function pickProject(workspace: Workspace, name: string | undefined): ProjectModel {
  const { projects } = workspace;
  const project = name
    ? projects.find((p) => p.name === name)
    : projects.length === 1
      ? projects[0]
      : undefined;
  if (project) return project;
  const known = projects.map((p) => p.name).join(', ') || 'none';
  throw new IdseError(
    'usage',
    name ? `no project '${name}' (projects: ${known})` : `pick a project with --project (projects: ${known})`,
  );
}
