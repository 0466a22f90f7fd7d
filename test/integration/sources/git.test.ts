import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdseError } from '../../../src/errors.ts';
import { gitBlobId } from '../../../src/model/blob-id.ts';
import { changedPaths, findGitRoot, readCommittedFiles } from '../../../src/run/sources/git.ts';

let tmp: string;
let repo: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'idse-git-'));
  repo = path.join(tmp, 'repo');
  await mkdir(repo);
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

// The user's and the machine's git config must not change what the real git CLI does here.
const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

function sh(cwd: string, args: string[], input?: string | Uint8Array): string {
  return execFileSync('git', args, { cwd, env: gitEnv, input, encoding: 'utf8' });
}

function init(dir = repo): void {
  sh(dir, ['init', '-q', '-b', 'main']);
}

function commit(message: string, dir = repo): string {
  sh(dir, ['add', '-A']);
  sh(dir, ['-c', 'user.email=a@b', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', message]);
  return sh(dir, ['rev-parse', 'HEAD']).trim();
}

async function put(rel: string, content: string | Uint8Array = `# ${rel}\n`, dir = repo): Promise<void> {
  const abs = path.join(dir, rel);
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFile(abs, content);
}

const lines = (output: string) => output.split('\n').filter(Boolean);

/** What real git says changed since `base`, with rename detection off as changedPaths has none. */
function gitChanged(base: string, dir = repo): string[] {
  const diff = lines(sh(dir, ['diff', '--no-renames', '--name-only', base]));
  const untracked = lines(sh(dir, ['ls-files', '--others', '--exclude-standard']));
  return [...new Set([...diff, ...untracked])].sort();
}

const sorted = (set: Set<string>) => [...set].sort();

async function gitError(promise: Promise<unknown>): Promise<IdseError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IdseError);
  expect((error as IdseError).code).toBe('git-failed');
  return error as IdseError;
}

/** Base commit, a second commit, then uncommitted changes of every kind. */
async function historyWithChanges(): Promise<{ base: string }> {
  init();
  await put('.gitignore', 'ignored/\n*.log\n');
  for (const rel of [
    'keep.md',
    'modify.md',
    'delete.md',
    'reverted.md',
    'docs/deep/nested.md',
    'unstaged-delete.md',
  ]) {
    await put(rel);
  }
  await symlink('keep.md', path.join(repo, 'link.md'));
  const base = commit('base');
  await put('modify.md', 'changed in HEAD\n');
  await put('reverted.md', 'changed in HEAD, reverted in the working tree\n');
  await put('added-in-head.md');
  await unlink(path.join(repo, 'delete.md'));
  commit('second');
  await put('reverted.md', '# reverted.md\n');
  await put('docs/deep/nested.md', 'edited, not staged, longer than before\n');
  await put('staged.md');
  await put('staged-then-removed.md');
  sh(repo, ['add', 'staged.md', 'staged-then-removed.md']);
  await unlink(path.join(repo, 'staged-then-removed.md'));
  await unlink(path.join(repo, 'unstaged-delete.md'));
  await put('untracked.md');
  await put('docs/untracked.md');
  await put('ignored/hidden.md');
  await put('debug.log');
  await unlink(path.join(repo, 'link.md'));
  await symlink('modify.md', path.join(repo, 'link.md'));
  return { base };
}

const EXPECTED_CHANGES = [
  'added-in-head.md',
  'delete.md',
  'docs/deep/nested.md',
  'docs/untracked.md',
  'link.md',
  'modify.md',
  'staged.md',
  'unstaged-delete.md',
  'untracked.md',
];

describe('findGitRoot', () => {
  it('finds the repository root from a nested folder and nothing outside one', async () => {
    init();
    await mkdir(path.join(repo, 'a', 'b'), { recursive: true });
    expect(await findGitRoot(path.join(repo, 'a', 'b'))).toBe(repo);
    expect(await findGitRoot(tmp)).toBeUndefined();
  });
});

describe('changedPaths', () => {
  it('matches git diff --name-only plus untracked files against HEAD~1', async () => {
    const { base } = await historyWithChanges();
    expect(gitChanged(base)).toEqual(EXPECTED_CHANGES);
    expect(sorted(await changedPaths({ dir: repo, base: 'HEAD~1' }))).toEqual(EXPECTED_CHANGES);
    expect(sorted(await changedPaths({ dir: repo, base }))).toEqual(EXPECTED_CHANGES);
    expect(sorted(await changedPaths({ dir: repo, base: base.slice(0, 7) }))).toEqual(EXPECTED_CHANGES);
  });

  it('compares against HEAD without writing the index', async () => {
    await historyWithChanges();
    // Same content, new mtime: the case where isomorphic-git would otherwise refresh the index.
    await put('keep.md');
    const indexBefore = await readFile(path.join(repo, '.git', 'index'));
    const changed = sorted(await changedPaths({ dir: repo, base: 'HEAD' }));
    // Checked before running git diff, which may itself refresh the index.
    expect(await readFile(path.join(repo, '.git', 'index'))).toEqual(indexBefore);
    expect(changed).toEqual(gitChanged('HEAD'));
    expect(changed).toEqual([
      'docs/deep/nested.md',
      'docs/untracked.md',
      'link.md',
      'reverted.md',
      'staged.md',
      'unstaged-delete.md',
      'untracked.md',
    ]);
  });

  it('resolves packed refs, annotated tags and short SHAs in packed objects', async () => {
    const { base } = await historyWithChanges();
    sh(repo, ['branch', 'base-branch', base]);
    sh(repo, ['-c', 'user.email=a@b', '-c', 'user.name=t', 'tag', '-a', '-m', 'v1', 'v1', base]);
    sh(repo, ['pack-refs', '--all']);
    sh(repo, ['repack', '-a', '-d', '-q']);
    expect(lines(sh(repo, ['for-each-ref', '--format=%(refname)'])).length).toBe(3);
    await expect(readFile(path.join(repo, '.git', 'refs', 'heads', 'base-branch'))).rejects.toThrow();
    for (const ref of ['base-branch', 'refs/heads/base-branch', 'v1', base.slice(0, 8), 'main~1', 'main^']) {
      expect(sorted(await changedPaths({ dir: repo, base: ref })), ref).toEqual(EXPECTED_CHANGES);
    }
  });

  it.each([2, 3, 4])('reads a version %i index', async (version) => {
    const { base } = await historyWithChanges();
    // An intent-to-add entry carries the extended flags only versions 3 and 4 can store.
    await put('intent.md');
    sh(repo, ['add', '--intent-to-add', 'intent.md']);
    sh(repo, ['update-index', '--index-version', String(version)]);
    if (version === 2) sh(repo, ['reset', '-q', 'intent.md']);
    // Version 4 stores each name as a cut of the previous one; over 127 bytes takes a two-byte count.
    const long = `long/${'x'.repeat(200)}.md`;
    await put(long);
    sh(repo, ['add', long]);
    const header = await readFile(path.join(repo, '.git', 'index'));
    expect(header.readUInt32BE(4)).toBe(version);
    const expected = [...EXPECTED_CHANGES, 'intent.md', long].sort();
    expect(gitChanged(base)).toEqual(expected);
    expect(sorted(await changedPaths({ dir: repo, base }))).toEqual(expected);
  });

  it('does not read base folders the index has unchanged', async () => {
    init();
    // Names whose order in a git tree differs from plain string order ('a-b/' < 'a.md' < 'a/' < 'a0.md').
    for (const rel of ['a.md', 'a-b/x.md', 'a/x.md', 'a/deep/y.md', 'a0.md', 'é/ü.md', 'Z.md']) {
      await put(`tricky/${rel}`);
    }
    await put('tricky/run.sh', '#!/bin/sh\n');
    await chmod(path.join(repo, 'tricky', 'run.sh'), 0o755);
    await symlink('a.md', path.join(repo, 'tricky', 'link.md'));
    await put('docs/a.md');
    commit('one');
    await put('docs/a.md', 'edited and staged\n');
    sh(repo, ['add', 'docs/a.md']);
    // Only the root and docs trees differ from the index; without the other tree objects any read
    // of them would fail, so passing proves they were skipped.
    const mustRead = new Set([
      sh(repo, ['rev-parse', 'HEAD^{tree}']).trim(),
      sh(repo, ['rev-parse', 'HEAD:docs']).trim(),
    ]);
    const trees = lines(sh(repo, ['ls-tree', '-r', '-t', 'HEAD']))
      .filter((line) => line.includes(' tree '))
      .map((line) => line.split(' ')[2]!.split('\t')[0]!);
    expect(trees.length).toBe(6);
    for (const tree of trees.filter((oid) => !mustRead.has(oid))) {
      await unlink(path.join(repo, '.git', 'objects', tree.slice(0, 2), tree.slice(2)));
    }
    expect(sorted(await changedPaths({ dir: repo, base: 'HEAD' }))).toEqual(['docs/a.md']);
  });

  it('works in a linked worktree', async () => {
    const { base } = await historyWithChanges();
    const worktree = path.join(tmp, 'worktree');
    sh(repo, ['worktree', 'add', '-q', '--detach', worktree, 'main']);
    await put('modify.md', 'edited in the worktree\n', worktree);
    await put('new.md', undefined, worktree);
    expect(gitChanged(base, worktree)).toEqual([
      'added-in-head.md',
      'delete.md',
      'modify.md',
      'new.md',
      'reverted.md',
    ]);
    expect(sorted(await changedPaths({ dir: worktree, base }))).toEqual(gitChanged(base, worktree));
  });

  it('works on a detached HEAD', async () => {
    const { base } = await historyWithChanges();
    sh(repo, ['stash', '-u', '-q']);
    sh(repo, ['checkout', '-q', '--detach', base]);
    expect(sh(repo, ['rev-parse', '--abbrev-ref', 'HEAD']).trim()).toBe('HEAD');
    expect(sorted(await changedPaths({ dir: repo, base: 'HEAD' }))).toEqual([]);
    expect(sorted(await changedPaths({ dir: repo, base: 'main' }))).toEqual(gitChanged('main'));
    expect(sorted(await changedPaths({ dir: repo, base: 'main' }))).toEqual([
      'added-in-head.md',
      'delete.md',
      'modify.md',
      'reverted.md',
    ]);
  });

  it('works in a shallow clone when the base is there, and says to fetch when it is not', async () => {
    init();
    await put('a.md', 'one\n');
    commit('one');
    await put('a.md', 'two\n');
    await put('b.md');
    commit('two');
    const clone = path.join(tmp, 'clone');
    sh(tmp, ['clone', '-q', '--depth', '1', `file://${repo}`, clone]);
    expect(sh(clone, ['rev-parse', '--is-shallow-repository']).trim()).toBe('true');
    await put('a.md', 'three\n', clone);
    await put('c.md', undefined, clone);
    const expected = ['a.md', 'c.md'];
    expect(gitChanged('origin/main', clone)).toEqual(expected);
    expect(sorted(await changedPaths({ dir: clone, base: 'origin/main' }))).toEqual(expected);
    expect(sorted(await changedPaths({ dir: clone, base: 'HEAD' }))).toEqual(expected);
    const error = await gitError(changedPaths({ dir: clone, base: 'HEAD~1' }));
    expect(error.message).toMatch(
      /^Base ref 'HEAD~1' needs commit [0-9a-f]{12}, which this clone does not have \(shallow clone\?\): fetch more history/,
    );
  });

  it('explains a repository without commits', async () => {
    init();
    await put('a.md');
    const error = await gitError(changedPaths({ dir: repo, base: 'HEAD' }));
    expect(error.message).toBe(
      "Cannot resolve base ref 'HEAD': the repository has no commits yet. Commit first, or run without --base",
    );
  });

  it('rejects unknown refs and SHAs with a hint to fetch', async () => {
    init();
    await put('a.md');
    commit('one');
    for (const ref of ['nope', 'origin/main', 'deadbeef', '0'.repeat(40)]) {
      const error = await gitError(changedPaths({ dir: repo, base: ref }));
      expect(error.message).toBe(`Unknown base ref '${ref}': fetch it or pass a commit SHA (--base)`);
    }
    const past = await gitError(changedPaths({ dir: repo, base: 'HEAD~1' }));
    expect(past.message).toBe("Base ref 'HEAD~1' goes past the first commit");
  });

  it('rejects a folder that is not a repository', async () => {
    const error = await gitError(changedPaths({ dir: repo, base: 'HEAD' }));
    expect(error.message).toBe(`Not a git repository: ${repo}`);
  });
});

describe('readCommittedFiles', () => {
  it('returns the oids git ls-tree lists, with the committed content', async () => {
    init();
    await put('README.md', 'hello\n');
    await put('docs/deep/plan.md', 'héllo 🌍\n');
    await put(
      'bin/data.bin',
      Uint8Array.from({ length: 300 }, (_, i) => i % 256),
    );
    await put('sessions/s1/session.json', '{}\n');
    await symlink('../README.md', path.join(repo, 'docs', 'link.md'));
    commit('one');
    await put('README.md', 'working tree edit, not committed\n');

    const files = await readCommittedFiles({ dir: repo, include: () => true });
    const listed = lines(sh(repo, ['ls-tree', '-r', 'HEAD'])).map((line) => {
      const [meta = '', file = ''] = line.split('\t');
      return { path: file, oid: meta.split(' ')[2] };
    });
    expect(files.map((file) => ({ path: file.path, oid: file.oid }))).toEqual(listed);
    for (const file of files.filter((candidate) => candidate.content)) {
      expect(Buffer.from(file.content!)).toEqual(
        execFileSync('git', ['show', `HEAD:${file.path}`], { cwd: repo }),
      );
      expect(file.oid).toBe(gitBlobId(file.content!));
    }
    expect(files.find((file) => file.path === 'docs/link.md')).toMatchObject({
      size: '../README.md'.length,
      problem: { kind: 'not-regular', detail: 'a symlink in the commit' },
    });
  });

  it('filters to workspace files by default, reads older refs, and honours the size limit', async () => {
    init();
    await put('a.md', 'first\n');
    await put('notes.txt');
    commit('one');
    await put('a.md', 'second, longer\n');
    await put('b.md');
    commit('two');
    const atHead = await readCommittedFiles({ dir: repo });
    expect(atHead.map((file) => file.path)).toEqual(['a.md', 'b.md']);
    const older = await readCommittedFiles({ dir: repo, ref: 'HEAD~1' });
    expect(older.map((file) => [file.path, new TextDecoder().decode(file.content)])).toEqual([
      ['a.md', 'first\n'],
    ]);
    const limited = await readCommittedFiles({ dir: repo, maxFileBytes: 10 });
    expect(limited.map(({ path: file, size, problem }) => ({ file, size, problem }))).toEqual([
      { file: 'a.md', size: 15, problem: { kind: 'too-large', limit: 10 } },
      { file: 'b.md', size: 7, problem: undefined },
    ]);
  });
});
