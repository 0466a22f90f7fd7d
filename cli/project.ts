import { Option } from 'clipanion';
import { IdseError } from '../src/errors.ts';
import type { ProjectModel, Workspace } from '../src/model/model.ts';
import { loadWorkspace } from '../src/run/load.ts';
import { IdseCommand } from './base.ts';

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

/** A command on one project of the workspace under `--root`, answering in JSON with `--json`. */
export abstract class ProjectCommand extends IdseCommand {
  project = Option.String('-p,--project', { description: 'Project (default: the only one)' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  protected async loadProject() {
    const loaded = await loadWorkspace({ cwd: this.context.cwd, env: this.context.env, root: this.root });
    return { loaded, project: pickProject(loaded.workspace, this.project) };
  }
}
