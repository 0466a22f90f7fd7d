/**
 * `idse sync push` from the repositories real clients have: refs and objects packed, a shallow CI
 * clone, a detached HEAD, a linked worktree, and a repository with no commits yet. What the store
 * holds afterwards is compared with what git itself lists.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { idse } from '../../helpers/cli.ts';
import { TestRepo } from '../app/repo.ts';
import { initWorkspace, type SyncHarness, startSyncHarness } from './harness.ts';

let h: SyncHarness;
const cleanup: string[] = [];

beforeAll(async () => {
  h = await startSyncHarness('pglite');
}, 60_000);
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** path → blob SHA of the project's files and the config at `rev`, as git lists them. */
function listed(dir: string, rev = 'HEAD'): Record<string, string> {
  return Object.fromEntries(
    git(dir, 'ls-tree', '-r', rev)
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([, path]) => path!.startsWith('projects/web/') || path === 'idse.config.yml')
      .map(([meta, path]) => [path!, meta!.split(' ')[2]!]),
  );
}

async function pushFrom(dir: string, name: string, ...args: string[]) {
  const { client_id, key } = await h.client(name, 'web');
  const run = await idse(['sync', 'push', '--json', ...args], {
    cwd: dir,
    env: { IDSE_AGENCY_URL: h.url, IDSE_API_KEY: key },
  });
  return { client_id, run, report: run.stdout ? JSON.parse(run.stdout) : undefined };
}

/** The current files of the client's workspace on `ref`, as the store holds them. */
async function current(clientId: string, ref: string): Promise<Record<string, string>> {
  const { rows } = await h.db.query<{ path: string; blob_sha: string }>(
    'select path, blob_sha from idse.current_artifacts where client_id = $1 and ref = $2',
    [clientId, ref],
  );
  return Object.fromEntries(rows.map((r) => [r.path, r.blob_sha]));
}

async function workspace(): Promise<TestRepo> {
  const repo = await initWorkspace('web');
  cleanup.push(repo.dir);
  return repo;
}

describe('idse sync push reads git itself', () => {
  it('from packed refs and packed objects only', async () => {
    const repo = await workspace();
    repo.commit({ 'projects/web/sessions/kickoff/specs/spec.md': '# Spec\n\nSecond commit.\n' }, 'two');
    repo.git('pack-refs', '--all');
    repo.git('repack', '-a', '-d', '-q');
    repo.git('prune-packed');
    expect(readdirSync(join(repo.dir, '.git/refs/heads'))).toEqual([]);
    expect(readdirSync(join(repo.dir, '.git/objects')).filter((d) => /^[0-9a-f]{2}$/.test(d))).toEqual([]);
    const { client_id, report } = await pushFrom(repo.dir, 'git-packed');
    expect(report).toMatchObject({ status: 'recorded', commit_sha: repo.head(), ref: 'refs/heads/main' });
    expect(await current(client_id, 'refs/heads/main')).toEqual(listed(repo.dir));
  });

  it('from a shallow clone', async () => {
    const repo = await workspace();
    repo.commit({ 'projects/web/sessions/kickoff/specs/spec.md': '# Spec\n\nSecond commit.\n' }, 'two');
    const clone = mkdtempSync(join(tmpdir(), 'idse-shallow-'));
    cleanup.push(clone);
    git(tmpdir(), 'clone', '-q', '--depth', '1', `file://${repo.dir}`, clone);
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const { client_id, report } = await pushFrom(clone, 'git-shallow');
    expect(report).toMatchObject({ status: 'recorded', commit_sha: repo.head() });
    expect(await current(client_id, 'refs/heads/main')).toEqual(listed(clone));
  });

  it('from a detached HEAD, under refs/sync/detached or the ref given', async () => {
    const repo = await workspace();
    const first = repo.head();
    repo.commit({ 'projects/web/sessions/kickoff/specs/spec.md': '# Spec\n\nSecond commit.\n' }, 'two');
    repo.git('checkout', '-q', '--detach', first);
    const { client_id, report } = await pushFrom(repo.dir, 'git-detached');
    expect(report).toMatchObject({ status: 'recorded', commit_sha: first, ref: 'refs/sync/detached' });
    expect(await current(client_id, 'refs/sync/detached')).toEqual(listed(repo.dir, first));
    const named = await pushFrom(repo.dir, 'git-detached-named', '--ref', 'refs/heads/release');
    expect(named.report).toMatchObject({ status: 'recorded', ref: 'refs/heads/release' });
  });

  it('from a linked worktree, on its own branch', async () => {
    const repo = await workspace();
    const tree = join(mkdtempSync(join(tmpdir(), 'idse-worktree-')), 'tree');
    cleanup.push(tree);
    repo.git('worktree', 'add', '-q', '-b', 'feature', tree);
    const { client_id, report } = await pushFrom(tree, 'git-worktree');
    expect(report).toMatchObject({ status: 'recorded', ref: 'refs/heads/feature', commit_sha: repo.head() });
    expect(await current(client_id, 'refs/heads/feature')).toEqual(listed(tree));
  });

  it('leaves out, and reports, committed files that cannot travel as text', async () => {
    const repo = await workspace();
    const dir = 'projects/web/sessions/kickoff/notes';
    repo.commit({
      'idse.config.yml': 'maxFileBytes: 2000\n',
      [`${dir}/latin1.md`]: Buffer.from('caf\xe9\n', 'latin1'),
      [`${dir}/nul.md`]: 'a\u0000b\n',
      [`${dir}/big.md`]: `# Big\n\n${'x'.repeat(3000)}\n`,
      [`${dir}/fine.md`]: '# Fine\n',
    });
    symlinkSync('fine.md', join(repo.dir, dir, 'link.md'));
    repo.commit({}, 'a link');
    const { client_id, run, report } = await pushFrom(repo.dir, 'git-unfit');
    expect(run.code).toBe(1);
    expect(report.rejected).toEqual([
      { path: `${dir}/big.md`, code: 'too-large', message: 'larger than 2000 bytes (maxFileBytes)' },
      { path: `${dir}/latin1.md`, code: 'invalid-utf8', message: 'not valid UTF-8 text' },
      { path: `${dir}/link.md`, code: 'not-regular', message: 'a symlink in the commit' },
      { path: `${dir}/nul.md`, code: 'invalid-content', message: 'contains a NUL character' },
    ]);
    const held = await current(client_id, 'refs/heads/main');
    const expected = listed(repo.dir);
    for (const name of ['big', 'latin1', 'link', 'nul']) delete expected[`${dir}/${name}.md`];
    expect(held).toEqual(expected);
    const pretty = await idse(['sync', 'push'], {
      cwd: repo.dir,
      env: { IDSE_AGENCY_URL: h.url, IDSE_API_KEY: (await h.client('git-unfit-2', 'web')).key },
    });
    expect(pretty.stdout).toContain(
      `  rejected 4:\n    ${dir}/big.md: larger than 2000 bytes (maxFileBytes) [too-large]\n`,
    );
  });

  it('refuses a repository with no commits, which status still describes', async () => {
    const repo = TestRepo.create();
    cleanup.push(repo.dir);
    await idse(['init', 'web'], { cwd: repo.dir });
    const { client_id, run } = await pushFrom(repo.dir, 'git-empty');
    expect(run).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'idse: the repository has no commits yet: idse sync push sends commits, so commit the docs first [git-failed]\n',
    });
    expect((await h.rows(client_id)).sync_events).toBe(0);
    const status = await idse(['sync', 'status', '--json', '--project', 'web'], { cwd: repo.dir });
    expect(JSON.parse(status.stdout)).toMatchObject({
      head: null,
      projects: [{ project: 'web', last_push: null, pending: { added: [], changed: [], removed: [] } }],
    });
  });

  it("says which branch is the default, so a branch push leaves the sessions' state as the default branch has it", async () => {
    const repo = await workspace();
    const { client_id, run } = await pushFrom(repo.dir, 'git-branches');
    expect(run.code).toBe(0);
    const state = async () =>
      (await h.store.agencySessions({ clientId: client_id })).map((s) => [
        s.session,
        s.ref,
        s.errors,
        s.runs,
      ]);
    const before = await state();
    expect(before).toEqual([
      ['__blueprint__', 'refs/heads/main', expect.any(Number), 1],
      ['kickoff', 'refs/heads/main', expect.any(Number), 1],
    ]);

    repo.checkout('wip', true);
    repo.commit(
      {
        'projects/web/sessions/kickoff/specs/spec.md':
          '# Spec\n\n## Overview\n\n[REQUIRES INPUT] everything\n',
      },
      'wip',
    );
    const branch = await pushFrom(repo.dir, 'git-branches');
    expect(branch.report).toMatchObject({ ref: 'refs/heads/wip', status: 'recorded' });
    expect(await state()).toEqual(before);
    const { rows } = await h.db.query<{ default_branch: string }>(
      'select default_branch from idse.repositories where client_id = $1',
      [client_id],
    );
    expect(rows).toEqual([{ default_branch: 'main' }]);
    const session = (await h.store.agencySessions({ clientId: client_id })).find(
      (s) => s.session === 'kickoff',
    );
    expect(
      (await h.store.agencyBranches({ sessionId: session!.session_id })).map((b) => [b.ref, b.default]),
    ).toEqual([
      ['refs/heads/main', true],
      ['refs/heads/wip', false],
    ]);
  });

  it('refuses to push a project the commit has no docs of, naming the projects it has', async () => {
    const repo = await initWorkspace('Acme');
    cleanup.push(repo.dir);
    const { client_id, key } = await h.client('git-wrong-project');
    const push = (...args: string[]) =>
      idse(['sync', 'push', ...args], { cwd: repo.dir, env: { IDSE_AGENCY_URL: h.url, IDSE_API_KEY: key } });
    const wrong = await push('--project', 'web');
    expect(wrong).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `idse: commit ${repo.git('rev-parse', '--short=7', 'HEAD')} has no docs of project web; its projects: Acme (name one with --project) [usage]\n`,
    });
    expect((await h.rows(client_id)).sync_events).toBe(0);
    expect((await push('--project', 'Acme')).code).toBe(0);
  });

  it('refuses a folder outside any git repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idse-nogit-'));
    cleanup.push(dir);
    const run = await idse(['sync', 'status'], { cwd: dir });
    expect(run).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/is not in one \[not-a-workspace\]\n$/),
    });
  });
});
