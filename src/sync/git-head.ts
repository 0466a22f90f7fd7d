/** The commit a push sends: HEAD's id, committer date and branch (none on a detached HEAD). */
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { headCommit, openRepo, readCommit, unknownRef } from '../workspace/sources/git-revisions.ts';

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
  };
}
