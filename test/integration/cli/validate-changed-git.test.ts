/**
 * `idse validate --changed` end to end on the repositories CI and clients have: packed refs and
 * objects, a shallow clone, a detached HEAD, and no commits yet. (src/run/sources/git.ts is
 * checked against git itself in test/integration/sources/git.test.ts; this is the command on top.)
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../src/report/schema.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    env: gitEnv,
    encoding: 'utf8',
  }).trim();

const INTENT = 'projects/demo/sessions/kickoff/intents/intent.md';
const SPEC = 'projects/demo/sessions/kickoff/specs/spec.md';

/**
 * A committed `idse init demo` with a second commit that adds a marker to the spec (a warning under
 * the strict profile: the spec stage is not started) — so the files reported say what --changed
 * compared against.
 */
async function history(): Promise<{ root: string; first: string }> {
  const root = tempDir();
  git(root, 'init', '-q', '-b', 'main');
  await idse(['init', 'demo'], { cwd: root });
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'scaffold');
  const first = git(root, 'rev-parse', 'HEAD');
  appendMarker(root, SPEC);
  git(root, 'commit', '-qam', 'spec');
  return { root, first };
}

function appendMarker(root: string, path: string): void {
  const file = join(root, path);
  writeFileSync(file, `${readFileSync(file, 'utf8')}\nAnother [REQUIRES INPUT]\n`);
}

/** The files with findings, from a JSON report. */
async function reported(cwd: string, base: string): Promise<{ code: number; files: string[] }> {
  const run = await idse(
    ['validate', '--changed', '--base', base, '--format', 'json', '--profile', 'strict'],
    {
      cwd,
    },
  );
  expect(run.stderr).toBe('');
  const files = (JSON.parse(run.stdout).diagnostics as { file: string }[]).map((d) => d.file);
  return { code: run.code, files: [...new Set(files)].sort() };
}

describe('idse validate --changed on real repositories', () => {
  it('resolves bases from packed refs and packed objects', async () => {
    const { root, first } = await history();
    git(root, 'tag', '-a', '-m', 'v1', 'v1', first);
    git(root, 'pack-refs', '--all');
    git(root, 'repack', '-a', '-d', '-q');
    git(root, 'prune-packed');
    expect(readdirSync(join(root, '.git/refs/tags'))).toEqual([]);
    for (const base of ['v1', 'main~1', first.slice(0, 10)]) {
      expect(await reported(root, base), base).toEqual({ code: 0, files: [SPEC] });
    }
    expect(await reported(root, 'main')).toEqual({ code: 0, files: [] });
  });

  it('says what it checked: the docs changed since the base, not the whole workspace', async () => {
    const { root } = await history();
    const run = await idse(['validate', '--changed', '--base', 'main~1', '--format', 'json'], { cwd: root });
    const report = JSON.parse(run.stdout) as Report;
    expect(report.scope).toEqual({ changedSince: 'main~1' });
    expect(report.summary).toMatchObject({ files: 1, sessions: 1 });
    const pretty = await idse(['validate', '--changed', '--base', 'main~1'], { cwd: root });
    expect(pretty.stdout).toMatch(
      /\(checked 1 file changed since main~1\)\n$|^✔ no problems in 1 file changed since main~1\n$/,
    );
  });

  it('works in a shallow clone against the commit it has, and says to fetch for one it lacks', async () => {
    const { root } = await history();
    const clone = join(tempDir(), 'clone');
    git(root, 'clone', '-q', '--depth', '1', `file://${root}`, clone);
    appendMarker(clone, INTENT);
    expect(await reported(clone, 'origin/main')).toEqual({ code: 1, files: [INTENT] });
    const missing = await idse(['validate', '--changed', '--base', 'HEAD~1'], { cwd: clone });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^idse: Base ref 'HEAD~1' needs commit [0-9a-f]{12}, which this clone does not have \(shallow clone\?\): fetch more history .*\[git-failed\]\n$/,
    );
  });

  it('works on a detached HEAD', async () => {
    const { root, first } = await history();
    git(root, 'checkout', '-q', '--detach', first);
    expect(await reported(root, 'HEAD')).toEqual({ code: 0, files: [] });
    expect(await reported(root, 'main')).toEqual({ code: 0, files: [SPEC] });
  });

  it('explains a repository with no commits', async () => {
    const root = tempDir();
    git(root, 'init', '-q', '-b', 'main');
    await idse(['init', 'demo'], { cwd: root });
    const run = await idse(['validate', '--changed'], { cwd: root });
    expect(run).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        "idse: Cannot resolve base ref 'HEAD': the repository has no commits yet. Commit first, or run without --base [git-failed]\n",
    });
  });
});
