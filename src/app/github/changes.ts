import { CONFIG_FILES } from '../../config/files.ts';
import type { Scope } from '../webhooks/events.ts';
import { compareCommits, type GitHub, pullFiles, type Repo, readTree, type TreeEntry } from './github.ts';

/** What an event changed, and how much of the tree that obliges the run to load. */
export interface Change {
  /** Paths the event changed; findings are limited to them. Absent: everything counts as changed. */
  paths?: Set<string>;
  /** Load every session, not just the touched ones (config changed, history rewritten, …). */
  loadAll: boolean;
  /** Said in the check's summary, e.g. "first push of this branch". */
  why: string;
}

const CONFIGS: ReadonlySet<string> = new Set(CONFIG_FILES);

/**
 * The change set of a job. Pushes use the compare API; when GitHub cuts its file list (300 files)
 * the two commits' trees are diffed instead, so a large push is still exact. Pull requests use
 * the pull request's own file list, which is what reviewers see.
 */
export async function changeOf(
  gh: GitHub,
  repo: Repo,
  scope: Scope,
  head: string,
  headTree: readonly TreeEntry[],
): Promise<Change> {
  if (scope.kind === 'full') return { loadAll: true, why: scope.why };
  if (scope.kind === 'pull') {
    const files = await pullFiles(gh, repo, scope.number);
    const paths = new Set(files.paths);
    if (files.cut)
      return {
        paths,
        loadAll: true,
        why: `pull request #${scope.number} changes more files than GitHub lists`,
      };
    if (touchesConfig(paths))
      return { paths, loadAll: true, why: `pull request #${scope.number} changes the idse config` };
    return { paths, loadAll: false, why: `pull request #${scope.number}` };
  }
  const comparison = await compareCommits(gh, repo, scope.base, head).catch((error: { status?: number }) => {
    // A force-push can leave `before` unreachable: GitHub no longer knows it (404).
    if (error.status === 404) return undefined;
    throw error;
  });
  if (!comparison) return { loadAll: true, why: `${short(scope.base)} is no longer in the repository` };
  if (comparison.status === 'diverged' || comparison.status === 'behind') {
    return { loadAll: true, why: `history was rewritten (${short(scope.base)} is not an ancestor)` };
  }
  const paths = comparison.cut
    ? treeDiff(await readTree(gh, repo, scope.base), headTree)
    : new Set(comparison.paths);
  if (touchesConfig(paths)) return { loadAll: true, why: 'the idse config changed' };
  return { paths, loadAll: false, why: `changes since ${short(scope.base)}` };
}

/** Paths whose blob differs between two trees, or that only one of them has. */
export function treeDiff(before: readonly TreeEntry[], after: readonly TreeEntry[]): Set<string> {
  const old = new Map(before.map((e) => [e.path, e.sha]));
  const changed = new Set<string>();
  for (const entry of after) {
    if (old.get(entry.path) !== entry.sha) changed.add(entry.path);
    old.delete(entry.path);
  }
  for (const path of old.keys()) changed.add(path);
  return changed;
}

const touchesConfig = (paths: ReadonlySet<string>): boolean => [...CONFIGS].some((f) => paths.has(f));

export const short = (sha: string): string => sha.slice(0, 7);
