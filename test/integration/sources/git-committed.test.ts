/**
 * committedBlobs and readBlobs (what `idse sync push` reads) against git's own listing, on a clean
 * checkout (taken from the index), with changes staged and unstaged (read from the trees), and from
 * packs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedBlobs, readBlobs } from '../../../src/run/sources/git.ts';
import { tempDir } from '../../helpers/cli.ts';

const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'core.quotePath=false', ...args],
    {
      cwd,
      env: gitEnv,
      encoding: 'utf8',
    },
  ).trim();

function put(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/** `git ls-tree -r` of a commit as path → {oid, mode}. */
function lsTree(root: string, rev: string) {
  return new Map(
    git(root, 'ls-tree', '-r', rev)
      .split('\n')
      .map((line) => {
        const [meta = '', path = ''] = line.split('\t');
        const [mode = '', , oid = ''] = meta.split(' ');
        return [path, { oid, mode }] as const;
      }),
  );
}

function repository(): string {
  const root = tempDir();
  git(root, 'init', '-q', '-b', 'main');
  for (const path of ['a.md', 'docs/b.md', 'docs/deep/c.md', 'é/ü.md', 'a-b/x.md', 'a0.md'])
    put(root, path, `# ${path}\n`);
  put(root, 'run.sh', '#!/bin/sh\n');
  execFileSync('chmod', ['+x', join(root, 'run.sh')]);
  symlinkSync('a.md', join(root, 'link.md'));
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'one');
  return root;
}

describe('committedBlobs', () => {
  it('lists what git ls-tree lists, with modes, from a clean index', async () => {
    const root = repository();
    expect(await committedBlobs({ dir: root, ref: 'HEAD' })).toEqual(lsTree(root, 'HEAD'));
  });

  it('lists the commit, not the index or the working tree, when they differ', async () => {
    const root = repository();
    put(root, 'docs/b.md', 'staged\n');
    put(root, 'docs/new.md', 'staged and new\n');
    git(root, 'add', 'docs');
    put(root, 'a.md', 'not even staged\n');
    git(root, 'rm', '-q', '--cached', 'docs/deep/c.md');
    expect(await committedBlobs({ dir: root, ref: 'HEAD' })).toEqual(lsTree(root, 'HEAD'));
    git(root, 'commit', '-qm', 'two');
    expect(await committedBlobs({ dir: root, ref: 'HEAD~1' })).toEqual(lsTree(root, 'HEAD~1'));
    expect(await committedBlobs({ dir: root, ref: 'HEAD' })).toEqual(lsTree(root, 'HEAD'));
  });
});

describe('readBlobs', () => {
  it('reads blobs from loose objects and from packs', async () => {
    const root = repository();
    const listed = lsTree(root, 'HEAD');
    const oids = [...listed.values()].map((b) => b.oid);
    const expected = new Map(
      oids.map((oid) => [oid, new Uint8Array(execFileSync('git', ['cat-file', 'blob', oid], { cwd: root }))]),
    );
    expect(await readBlobs({ dir: root, oids })).toEqual(expected);
    git(root, 'repack', '-a', '-d', '-q');
    git(root, 'prune-packed');
    expect(await readBlobs({ dir: root, oids })).toEqual(expected);
  });
});
