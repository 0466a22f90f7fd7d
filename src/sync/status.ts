/**
 * `idse sync status`: read from the sync state and the repository alone (no network): the last push
 * and pull per project, what a push would send now, edits not committed yet (a push sends commits
 * only), and pull conflicts still waiting for their `.incoming` file to be dealt with.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import { changedPaths } from '../run/sources/git.ts';
import { readHead } from './git-head.ts';
import { committedFiles, onlyProject } from './push.ts';
import { outOfScope } from './scope.ts';
import type { SyncState } from './state.ts';

export interface ProjectStatus {
  project: string;
  last_push: { at: string; commit_sha: string; ref: string; sync_event_id: number } | null;
  /** HEAD is the commit last pushed. */
  head_pushed: boolean;
  /** Committed at HEAD and different from the last push (every file before a first push). */
  pending: { added: string[]; changed: string[]; removed: string[] };
  /** Files of the project edited in the working tree and not committed yet. */
  uncommitted: string[];
  last_pull: { at: string; cursor: number } | null;
  conflicts: Array<{ path: string; incoming: string; since: string }>;
}

export interface StatusOutcome {
  head: { commit_sha: string; branch: string | null } | null;
  projects: ProjectStatus[];
}

export async function syncStatus(options: {
  root: string;
  config: Config;
  state: SyncState;
  project: string | undefined;
}): Promise<StatusOutcome> {
  const { root, config, state } = options;
  const head = await readHead(root);
  const files = head ? await committedFiles(root, config, head.oid) : [];
  const uncommitted = head ? [...(await changedPaths({ dir: root, base: 'HEAD' }))] : [];
  const named = options.project ?? config.sync?.project;
  const projects = named
    ? [named]
    : Object.keys(state.projects).length > 0
      ? Object.keys(state.projects).sort()
      : [onlyProject(files)].filter((p): p is string => p !== undefined);
  return {
    head: head ? { commit_sha: head.oid, branch: head.branch ?? null } : null,
    projects: projects.map((project) => {
      const { push, pull } = state.projects[project] ?? {};
      const inScope = (path: string) => !outOfScope(path, project);
      const now = new Map(files.filter((f) => inScope(f.path)).map((f) => [f.path, f.oid]));
      const before = new Map(Object.entries(push?.files ?? {}));
      return {
        project,
        last_push: push
          ? { at: push.at, commit_sha: push.commit_sha, ref: push.ref, sync_event_id: push.sync_event_id }
          : null,
        head_pushed: Boolean(head && push && push.commit_sha === head.oid),
        pending: {
          added: [...now.keys()].filter((p) => !before.has(p)).sort(),
          changed: [...now]
            .filter(([p, sha]) => before.has(p) && before.get(p) !== sha)
            .map(([p]) => p)
            .sort(),
          removed: [...before.keys()].filter((p) => !now.has(p)).sort(),
        },
        uncommitted: uncommitted.filter(inScope).sort(),
        last_pull: pull ? { at: pull.at, cursor: pull.cursor } : null,
        conflicts: Object.entries(pull?.conflicts ?? {})
          .filter(([, c]) => existsSync(join(root, c.incoming)))
          .map(([path, c]) => ({ path, incoming: c.incoming, since: c.at }))
          .sort((a, b) => (a.path < b.path ? -1 : 1)),
      };
    }),
  };
}
