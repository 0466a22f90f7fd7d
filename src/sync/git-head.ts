/** The commit a push sends: HEAD's id, committer date and branch (none on a detached HEAD). */
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { headCommit, openRepo, type Repo, readCommit, unknownRef } from '../run/sources/git-revisions.ts';

export interface HeadCommit {
  oid: string;
  /** Committer date, ISO 8601 in UTC: the order the store keeps commits in. */
  committedAt: string;
  /** `refs/heads/<branch>`, undefined on a detached HEAD. */
  branch: string | undefined;
  /**
   * First-parent ancestors, nearest first, as many as the clone has up to ANCESTORS: they let the
   * store order commits made in the same second (git dates have whole seconds).
   */
  ancestors: string[];
  /** The repository's default branch as far as the clone can tell (see defaultBranch). */
  defaultBranch: string | undefined;
}

const ANCESTORS = 100;

/** HEAD of the repository at `dir`; undefined when it has no commits yet. */
export async function readHead(dir: string): Promise<HeadCommit | undefined> {
  const repo = openRepo(dir);
  const oid = await headCommit(repo);
  if (!oid) return undefined;
  const { commit } = await readCommit(repo, oid, { revision: 'HEAD', noun: 'ref' }, unknownRef);
  const head = fs.readFileSync(path.join(repo.ownGitdir, 'HEAD'), 'utf8').trim();
  const ancestors: string[] = [];
  for (let parent = commit.parent[0]; parent && ancestors.length < ANCESTORS; ) {
    ancestors.push(parent);
    // A shallow clone ends where its history does.
    parent = (
      await git.readCommit({ fs, gitdir: repo.gitdir, oid: parent, cache: repo.cache }).catch(() => undefined)
    )?.commit.parent[0];
  }
  return {
    oid,
    committedAt: new Date(commit.committer.timestamp * 1000).toISOString(),
    branch: head.startsWith('ref: refs/heads/') ? head.slice('ref: '.length) : undefined,
    ancestors,
    defaultBranch: await defaultBranch(repo),
  };
}

/**
 * The branch the store takes a session's state from: the one origin's HEAD names (a clone's), else
 * `main` or `master` when there is such a branch, else the only branch there is; undefined when the
 * clone cannot tell (the store then counts every ref until a push says).
 */
async function defaultBranch(repo: Repo): Promise<string | undefined> {
  const remote = await git
    .resolveRef({ fs, gitdir: repo.gitdir, ref: 'refs/remotes/origin/HEAD', depth: 2 })
    .catch(() => undefined);
  if (remote?.startsWith('refs/remotes/origin/')) return remote.slice('refs/remotes/origin/'.length);
  const branches = await git.listBranches({ fs, gitdir: repo.gitdir }).catch(() => [] as string[]);
  return (
    ['main', 'master'].find((b) => branches.includes(b)) ?? (branches.length === 1 ? branches[0] : undefined)
  );
}
