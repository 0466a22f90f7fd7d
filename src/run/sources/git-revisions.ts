import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { IdseError } from '../../errors.ts';

export interface Repo {
  /** The working tree. */
  dir: string;
  /** Objects, refs and info/exclude; shared by all worktrees of a repository. */
  gitdir: string;
  /** HEAD and index; the same as `gitdir` except in a linked worktree. */
  ownGitdir: string;
  /** isomorphic-git keeps parsed pack indexes here; one per public call so packs are read once. */
  cache: object;
}

export function openRepo(dir: string): Repo {
  const dotGit = path.join(dir, '.git');
  let ownGitdir = dotGit;
  // Worktrees and submodules have a `.git` file naming their git directory.
  if (fs.statSync(dotGit, { throwIfNoEntry: false })?.isFile()) {
    const target = /^gitdir: (.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (target) ownGitdir = path.resolve(dir, target);
  }
  if (!fs.existsSync(path.join(ownGitdir, 'HEAD'))) {
    throw new IdseError('git-failed', `Not a git repository: ${dir}`);
  }
  const commondir = path.join(ownGitdir, 'commondir');
  const gitdir = fs.existsSync(commondir)
    ? path.resolve(ownGitdir, fs.readFileSync(commondir, 'utf8').trim())
    : ownGitdir;
  return { dir, gitdir, ownGitdir, cache: {} };
}

/** What the user asked for, as error messages name it. */
interface Asked {
  revision: string;
  /** 'base ref' or 'ref'. */
  noun: string;
  /** The command-line option that set it, named in hints. */
  option?: string;
}

/**
 * The commit a user-given revision names: a ref (branch, tag, `origin/main`, packed or loose), a
 * full or short SHA, each optionally followed by `~n` / `^n` steps, the forms CI scripts pass.
 */
export async function resolveCommit(repo: Repo, asked: Asked): Promise<string> {
  const [, name = '', steps = ''] = /^(.*?)((?:[~^]\d*)*)$/.exec(asked.revision) ?? [];
  let oid = (await readCommit(repo, await resolveName(repo, name, asked), asked, unknownRef)).oid;
  for (const [, step, digits] of steps.matchAll(/([~^])(\d*)/g)) {
    const count = digits ? Number(digits) : 1;
    // ~n follows first parents n times; ^n picks the n-th parent, and ^0 is the commit itself.
    if (step === '~') for (let i = 0; i < count; i++) oid = await parentOf(repo, oid, 0, asked);
    else if (count > 0) oid = await parentOf(repo, oid, count - 1, asked);
  }
  return oid;
}

async function resolveName(repo: Repo, name: string, asked: Asked): Promise<string> {
  const { gitdir, cache } = repo;
  if (name === 'HEAD') {
    const head = await headCommit(repo);
    if (head) return head;
  } else if (name !== '') {
    try {
      return await git.resolveRef({ fs, gitdir, ref: name });
    } catch (error) {
      if (errorCode(error) !== 'NotFoundError') throw gitFailed(error);
    }
  }
  if (/^[0-9a-f]{4,39}$/i.test(name)) {
    try {
      return await git.expandOid({ fs, gitdir, oid: name.toLowerCase(), cache });
    } catch (error) {
      if (errorCode(error) === 'AmbiguousError') {
        throw new IdseError(
          'git-failed',
          `Short SHA '${name}' is ambiguous: pass more of its digits${hint(asked)}`,
        );
      }
      if (errorCode(error) !== 'NotFoundError') throw gitFailed(error);
    }
  }
  if (!(await headCommit(repo))) {
    const instead = asked.option ? `, or run without ${asked.option}` : '';
    throw new IdseError(
      'git-failed',
      `Cannot resolve ${asked.noun} '${asked.revision}': the repository has no commits yet. Commit first${instead}`,
    );
  }
  throw unknownRef(asked);
}

/** What HEAD points at, read from the worktree's own HEAD; undefined before the first commit. */
export async function headCommit(repo: Repo): Promise<string | undefined> {
  const head = fs.readFileSync(path.join(repo.ownGitdir, 'HEAD'), 'utf8').trim();
  const ref = head.startsWith('ref: ') ? head.slice('ref: '.length) : head;
  return git.resolveRef({ fs, gitdir: repo.gitdir, ref }).catch(() => undefined);
}

async function parentOf(repo: Repo, oid: string, index: number, asked: Asked): Promise<string> {
  const { commit } = await readCommit(repo, oid, asked, unknownRef);
  const parent = commit.parent[index];
  if (!parent) {
    throw new IdseError('git-failed', `${capitalized(asked)} '${asked.revision}' goes past the first commit`);
  }
  const shallow = () =>
    new IdseError(
      'git-failed',
      `${capitalized(asked)} '${asked.revision}' needs commit ${parent.slice(0, 12)}, which this clone does not ` +
        'have (shallow clone?): fetch more history (git fetch --deepen, or fetch-depth: 0 in ' +
        `actions/checkout) or pass a commit SHA${hint(asked)}`,
    );
  return (await readCommit(repo, parent, asked, shallow)).oid;
}

export async function readCommit(
  repo: Repo,
  oid: string,
  asked: Asked,
  missing: (asked: Asked) => IdseError,
) {
  try {
    return await git.readCommit({ fs, gitdir: repo.gitdir, oid, cache: repo.cache });
  } catch (error) {
    if (errorCode(error) === 'NotFoundError') throw missing(asked);
    if (errorCode(error) === 'ObjectTypeError') {
      throw new IdseError('git-failed', `${capitalized(asked)} '${asked.revision}' does not name a commit`);
    }
    throw gitFailed(error);
  }
}

export function unknownRef(asked: Asked): IdseError {
  return new IdseError(
    'git-failed',
    `Unknown ${asked.noun} '${asked.revision}': fetch it or pass a commit SHA${hint(asked)}`,
  );
}

const hint = (asked: Asked) => (asked.option ? ` (${asked.option})` : '');
const capitalized = (asked: Asked) => asked.noun[0]!.toUpperCase() + asked.noun.slice(1);

export function gitFailed(error: unknown): IdseError {
  return new IdseError('git-failed', `git: ${error instanceof Error ? error.message : String(error)}`);
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
