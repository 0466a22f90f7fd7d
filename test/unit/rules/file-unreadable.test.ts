import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCase } from './harness.ts';

// Symlink loops, dangling symlinks and FIFOs cannot be committed portably, so these IDSE001 cases
// are built here; the committed ones live in test/fixtures/rules/IDSE001/.
const S = 'projects/p/sessions/s';
let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'idse-rule-001-'));
  await put(`${S}/intents/intent.md`, '# Intent: s\n\n## Goal\n\nLet users export reports as CSV.\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(rel: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

async function link(target: string, rel: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await symlink(target, path.join(root, rel));
}

const LOOP = 'symbolic link loops back on itself; not followed';

describe.runIf(process.platform !== 'win32')('IDSE001 file-unreadable on special files', () => {
  it('fail: a chain of markdown symlinks that never reaches a file', async () => {
    await link('b.md', `${S}/specs/a.md`);
    await link('a.md', `${S}/specs/b.md`);
    expect(await runCase(root, 'IDSE001')).toEqual([
      { file: `${S}/specs/a.md`, severity: 'error', message: LOOP },
      { file: `${S}/specs/b.md`, severity: 'error', message: LOOP },
    ]);
  });

  it('fail: a followed folder symlink leading back to a folder being read', async () => {
    await put('idse.config.yml', 'followSymlinks: true\n');
    await link('..', `${S}/specs/archive`);
    expect(await runCase(root, 'IDSE001')).toEqual([
      { file: `${S}/specs/archive`, severity: 'error', message: LOOP },
    ]);
  });

  it('fail: a dangling markdown symlink', async () => {
    await link('../drafts/spec.md', `${S}/specs/spec.md`);
    expect(await runCase(root, 'IDSE001')).toEqual([
      {
        file: `${S}/specs/spec.md`,
        severity: 'error',
        message: 'cannot read file: dangling symlink (ENOENT)',
      },
    ]);
  });

  it('fail: a FIFO where a doc should be', async () => {
    await mkdir(path.join(root, S, 'specs'), { recursive: true });
    execFileSync('mkfifo', [path.join(root, S, 'specs/spec.md')]);
    expect(await runCase(root, 'IDSE001')).toEqual([
      {
        file: `${S}/specs/spec.md`,
        severity: 'error',
        message: 'a FIFO, not a regular file; not read',
      },
    ]);
  });

  it('fail: a markdown symlink leading outside the workspace', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'idse-rule-001-outside-'));
    try {
      await writeFile(path.join(outside, 'passwd'), 'root:x:0:0\n');
      await link(path.join(outside, 'passwd'), `${S}/plans/passwd.md`);
      expect(await runCase(root, 'IDSE001')).toEqual([
        {
          file: `${S}/plans/passwd.md`,
          severity: 'error',
          message: 'symbolic link leads outside the workspace; not read',
        },
      ]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('pass: symlinks to real files and folders are read like the files themselves', async () => {
    await put('idse.config.yml', 'followSymlinks: true\n');
    await put('shared/spec.md', '# Specification: s\n\n## Overview\n\nCSV export.\n');
    await put('shared/plans/plan.md', '# Plan: s\n\n## Architecture Summary\n\nStreaming writer.\n');
    await link('../../../../../shared/spec.md', `${S}/specs/spec.md`);
    await link('../../../../shared/plans', `${S}/plans`);
    expect(await runCase(root, 'IDSE001')).toEqual([]);
  });
});
