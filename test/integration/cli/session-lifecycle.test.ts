import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { upstreamJson } from '../../../src/sessions/json-edit.ts';
import { upstreamTimestamp } from '../../../src/sessions/time.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

const NOW = upstreamTimestamp(new Date('2026-11-25T12:00:00Z'));
const ENV = { USER: 'tester' };
const P = 'projects/demo';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    stdio: 'pipe',
  }).toString();

/** A fresh `idse init demo` committed to a real git repo. */
async function initRepo(): Promise<string> {
  const root = tempDir();
  expect((await idse(['init', 'demo'], { cwd: root, env: ENV })).code).toBe(0);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'init');
  return root;
}

/** Files changed since the last commit, as `git status` lists them. */
const changed = (root: string): string[] =>
  git(root, 'status', '--porcelain', '--untracked-files=all')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));

const commit = (root: string, message: string) => {
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', message, '--allow-empty');
};

const mkdirp = (root: string, path: string) => {
  mkdirSync(join(root, path), { recursive: true });
  return join(root, path);
};
const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');
const json = (root: string, path: string) => JSON.parse(read(root, path)) as Record<string, unknown>;

const run = (root: string, ...args: string[]) => idse(args, { cwd: root, env: ENV });

describe('idse init', () => {
  it('creates the __blueprint__ as upstream has it and a first session spawned from it', async () => {
    const root = await initRepo();
    const blueprint = `${P}/sessions/__blueprint__/metadata`;
    expect(read(root, `${blueprint}/session.json`)).toBe(
      upstreamJson({
        session_id: '__blueprint__',
        name: 'demo',
        session_type: 'blueprint',
        description: null,
        is_blueprint: true,
        parent_session: null,
        related_sessions: [],
        owner: 'tester',
        collaborators: [],
        tags: [],
        status: 'draft',
        created_at: NOW,
        updated_at: NOW,
      }),
    );
    expect(read(root, `${blueprint}/.owner`)).toBe(`Created: ${NOW}\nOwner: tester\n`);
    // blueprint.md keeps upstream's headings and promotion placeholder, where claims are appended.
    const scope = read(root, `${blueprint}/blueprint.md`);
    expect([...scope.matchAll(/^#+ .*$|^> .*$/gm)].map((m) => m[0])).toEqual([
      '# demo - Blueprint',
      '> Append-only via promotion gate.',
      '## Purpose',
      '## System Boundaries',
      '## Core Invariants',
      '## High-Level Architecture',
      '## Stakeholders',
      '## Constraints & Risks',
      '## Promoted Converged Intent',
    ]);
    expect(scope.endsWith('## Promoted Converged Intent\n- No converged intent promoted yet.\n')).toBe(true);

    const kickoff = json(root, `${P}/sessions/kickoff/metadata/session.json`);
    expect(kickoff).toMatchObject({
      session_id: 'kickoff',
      session_type: 'feature',
      parent_session: '__blueprint__',
    });
    expect(read(root, `${P}/CURRENT_SESSION`)).toBe('kickoff\n');
    expect(json(root, `${P}/session_state.json`)).toMatchObject({
      project_name: 'demo',
      session_id: 'kickoff',
      is_blueprint: false,
      last_sync: null,
      validation_status: 'unknown',
      created_at: NOW,
    });
    const report = JSON.parse((await run(root, 'validate', '--format', 'json')).stdout) as {
      diagnostics: { code: string; session?: string }[];
    };
    // The blueprint itself is clean: only the kickoff's unwritten templates are reported.
    expect(report.diagnostics.filter((d) => d.session === '__blueprint__')).toEqual([]);
    expect(report.diagnostics.filter((d) => Number(d.code.slice(4)) >= 35)).toEqual([]);
  });

  it('leaves workspaces without a blueprint working: new sessions simply have no parent', async () => {
    const root = await initRepo();
    rmSync(join(root, `${P}/sessions/__blueprint__`), { recursive: true });
    expect((await run(root, 'session', 'new', 'plain')).code).toBe(0);
    expect(json(root, `${P}/sessions/plain/metadata/session.json`).parent_session).toBeNull();
    const spawn = await run(root, 'spawn', '--plan', 'feature', 'other');
    expect(spawn.code).toBe(2);
    expect(spawn.stderr).toContain(
      "no session '__blueprint__' in demo to spawn from (this project has no blueprint)",
    );
    const report = JSON.parse((await run(root, 'validate', '--format', 'json')).stdout) as {
      diagnostics: { code: string }[];
    };
    // kickoff's parent is gone: reported, not fatal.
    expect(report.diagnostics.filter((d) => d.code === 'IDSE035')).toHaveLength(1);
  });
});

describe('idse session commands on a fresh workspace', () => {
  it('new / create / spawn record type, description, tags, owner and lineage, and move the current session', async () => {
    const root = await initRepo();
    const made = await run(
      root,
      'session',
      'new',
      'pay',
      '--tag',
      'api',
      '--tag',
      'ui',
      '--description',
      'Retry payments',
      '--json',
    );
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ session: 'pay', parent: '__blueprint__', current: true });
    expect(json(root, `${P}/sessions/pay/metadata/session.json`)).toMatchObject({
      session_id: 'pay',
      session_type: 'feature',
      description: 'Retry payments',
      parent_session: '__blueprint__',
      owner: 'tester',
      tags: ['api', 'ui'],
      status: 'draft',
    });
    expect(read(root, `${P}/sessions/pay/metadata/meta.md`)).toMatch(/\ntags: \[ api, ui \]\n/);
    expect(read(root, `${P}/CURRENT_SESSION`)).toBe('pay\n');
    expect(json(root, `${P}/session_state.json`).session_id).toBe('pay');

    expect(
      (
        await run(
          root,
          'session',
          'create',
          'retry-ui',
          '--from',
          'pay',
          '--type',
          'exploratory',
          '--keep-current',
        )
      ).code,
    ).toBe(0);
    expect(json(root, `${P}/sessions/retry-ui/metadata/session.json`)).toMatchObject({
      parent_session: 'pay',
      session_type: 'exploratory',
    });
    expect(read(root, `${P}/CURRENT_SESSION`)).toBe('pay\n');
    expect(
      (
        await run(
          root,
          'spawn',
          '--plan',
          'feature',
          'sync-bridge',
          '--owner',
          'gpt5',
          '--description',
          'Sync',
        )
      ).code,
    ).toBe(0);
    expect(json(root, `${P}/sessions/sync-bridge/metadata/session.json`)).toMatchObject({
      parent_session: '__blueprint__',
      owner: 'gpt5',
      description: 'Sync',
    });

    const lineage = JSON.parse((await run(root, 'session', 'info', 'pay', '--lineage', '--json')).stdout);
    expect(lineage.lineage).toEqual({
      parent: '__blueprint__',
      ancestors: ['__blueprint__'],
      children: ['retry-ui'],
      related: [],
    });
    const text = (await run(root, 'session', 'info', 'retry-ui', '--lineage')).stdout;
    expect(text).toContain('ancestors    pay → __blueprint__');

    // Refusals exit non-zero and write nothing.
    commit(root, 'sessions');
    for (const args of [
      ['session', 'new', 'pay'],
      ['session', 'new', 'x', '--from', 'nope'],
      ['session', 'new', 'x', '--type', 'epic'],
      ['session', 'new', 'x', '--from', 'pay', '--blueprint'],
      ['session', 'new', '../escape'],
      ['spawn', '--plan', 'bugfix', 'x'],
    ]) {
      const refused = await run(root, ...args);
      expect({ args, code: refused.code }).toEqual({ args, code: 2 });
      expect(changed(root)).toEqual([]);
    }
  });

  it('list filters by type, status, tag and owner; switch keeps CURRENT_SESSION and session_state.json in step', async () => {
    const root = await initRepo();
    await run(root, 'session', 'new', 'pay', '--tag', 'api', '--owner', '@alice');
    const list = async (...args: string[]) =>
      (
        JSON.parse((await run(root, 'session', 'list', '--json', ...args)).stdout) as { session: string }[]
      ).map((s) => s.session);
    expect(await list()).toEqual(['__blueprint__', 'kickoff', 'pay']);
    expect(await list('--type', 'blueprint')).toEqual(['__blueprint__']);
    expect(await list('--tag', 'api')).toEqual(['pay']);
    expect(await list('--owner', 'alice')).toEqual(['pay']);
    expect(await list('--status', 'review')).toEqual([]);
    expect((await run(root, 'sessions', '--type', 'feature')).stdout).toMatch(
      /^\* demo\/pay\s+feature\s+draft\s+@alice\s+—\s+__blueprint__\s+api$/m,
    );

    commit(root, 'pay');
    const switched = await run(root, 'session', 'switch', 'kickoff');
    expect(switched.code).toBe(0);
    expect(changed(root).sort()).toEqual([`${P}/CURRENT_SESSION`, `${P}/session_state.json`]);
    expect(read(root, `${P}/CURRENT_SESSION`)).toBe('kickoff\n');
    expect(json(root, `${P}/session_state.json`).session_id).toBe('kickoff');
    commit(root, 'switch');
    expect((await run(root, 'session', 'switch', 'kickoff')).stdout).toContain(
      'already is the current session',
    );
    expect((await run(root, 'session', 'switch', 'nope')).code).toBe(2);
    expect(changed(root)).toEqual([]);
  });

  it('switch in an agency repo keeps its key: value CURRENT_SESSION and adds no orchestrator state file', async () => {
    const root = tempDir();
    for (const s of ['one', 'two'])
      writeFileSync(
        join(mkdirp(root, `projects/web/sessions/${s}/intents`), 'intent.md'),
        `# Intent: ${s}\n`,
      );
    writeFileSync(
      join(root, 'projects/web/CURRENT_SESSION'),
      'session_id: one\ncanonical_root: projects/web/sessions/one/\nupdated: 2025-01-01\nowner: team\n',
    );
    git(root, 'init', '-q');
    commit(root, 'agency');
    expect((await run(root, 'session', 'switch', 'two')).code).toBe(0);
    expect(changed(root)).toEqual(['projects/web/CURRENT_SESSION']);
    expect(read(root, 'projects/web/CURRENT_SESSION')).toBe(
      `session_id: two\ncanonical_root: projects/web/sessions/two/\nupdated: ${NOW}\nowner: team\n`,
    );
  });

  it('set-owner, collaborators and tags keep session.json, meta.md and .owner in step', async () => {
    const root = await initRepo();
    const meta = `${P}/sessions/kickoff/metadata`;
    commit(root, 'base');
    expect((await run(root, 'session', 'set-owner', '@alice')).code).toBe(0);
    expect(changed(root).sort()).toEqual([`${meta}/.owner`, `${meta}/meta.md`, `${meta}/session.json`]);
    expect(json(root, `${meta}/session.json`)).toMatchObject({ owner: '@alice', updated_at: NOW });
    expect(read(root, `${meta}/meta.md`)).toMatch(/\nowner: "@alice"\n/);
    expect(read(root, `${meta}/.owner`)).toBe(`Created: ${NOW}\nOwner: @alice\n`);

    expect((await run(root, 'session', 'add-collaborator', 'bob', '--role', 'reviewer')).code).toBe(0);
    expect(json(root, `${meta}/session.json`).collaborators).toEqual([
      { name: 'bob', role: 'reviewer', joined_at: NOW },
    ]);
    expect((await run(root, 'session', 'tag', 'api', 'ui', '--session', 'kickoff')).code).toBe(0);
    expect((await run(root, 'session', 'untag', 'ui')).code).toBe(0);
    expect(json(root, `${meta}/session.json`).tags).toEqual(['api']);
    expect(read(root, `${meta}/meta.md`)).toMatch(/\ntags: \[ api \]\n/);
    commit(root, 'edits');

    // Nothing to do, or a refusal: exit codes say so, and nothing is written.
    expect((await run(root, 'session', 'tag', 'api')).stdout).toContain('already has every tag given');
    for (const args of [
      ['session', 'add-collaborator', 'bob'],
      ['session', 'add-collaborator', 'carol', '--role', 'boss'],
      ['session', 'remove-collaborator', 'carol'],
      ['session', 'set-owner', 'a"b'],
      ['session', 'tag', 'x', '--session', 'nope'],
    ]) {
      expect({ args, code: (await run(root, ...args)).code }).toEqual({ args, code: 2 });
    }
    expect(changed(root)).toEqual([]);
    expect((await run(root, 'session', 'remove-collaborator', 'bob')).code).toBe(0);
    expect(json(root, `${meta}/session.json`).collaborators).toEqual([]);
    expect(readFileSync(join(root, `${meta}/session.json`), 'utf8')).toContain('"collaborators": [],');
  });

  it('set-stage records stage statuses of the current session in session_state.json', async () => {
    const root = await initRepo();
    commit(root, 'base');
    expect((await run(root, 'session', 'set-stage', 'plan')).code).toBe(0);
    expect(changed(root)).toEqual([`${P}/session_state.json`]);
    expect(json(root, `${P}/session_state.json`).stages).toEqual({
      intent: 'completed',
      context: 'completed',
      spec: 'completed',
      plan: 'in_progress',
      tasks: 'pending',
      implementation: 'pending',
      feedback: 'pending',
    });
    expect((await run(root, 'session', 'set-stage', 'plan', '--status', 'completed')).code).toBe(0);
    expect(json(root, `${P}/session_state.json`).stages).toMatchObject({
      plan: 'completed',
      tasks: 'pending',
    });
    const info = JSON.parse((await run(root, 'session', 'info', '--json')).stdout);
    expect(info).toMatchObject({ stagesFrom: `${P}/session_state.json`, stages: { plan: 'completed' } });
    commit(root, 'stages');
    for (const args of [
      ['session', 'set-stage', 'deploy'],
      ['session', 'set-stage', 'plan', '--status', 'done'],
    ])
      expect((await run(root, ...args)).code).toBe(2);
    expect(changed(root)).toEqual([]);
  });
});

/** Replace every marker and tick every task of a session: a session with nothing left to do. */
function finishSession(root: string, session: string): void {
  const dir = join(root, P, 'sessions', session);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const path = join(entry.parentPath, entry.name);
    writeFileSync(
      path,
      readFileSync(path, 'utf8')
        .replaceAll('[REQUIRES INPUT]', 'Decided and written down')
        .replaceAll('- [ ] ', '- [x] '),
    );
  }
}

describe('status gates', () => {
  it('close refuses (exit 1, nothing written) while errors or open tasks remain; --force records who and when', async () => {
    const root = await initRepo();
    const meta = `${P}/sessions/kickoff/metadata`;
    // A template's task lines are placeholders, not work: give the session one real open task.
    const tasks = join(root, P, 'sessions/kickoff/tasks/tasks.md');
    writeFileSync(
      tasks,
      '# Tasks\n\n## Phase 0\n\n- [ ] Task 0.1 – Wire the payment client (Owner: @claude)\n',
    );
    commit(root, 'a real task');
    const refused = await run(root, 'session', 'close');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/demo\/kickoff cannot become 'complete': \d+ blocking finding\(s\)/);
    expect(refused.stdout).toMatch(/intents\/intent\.md:\d+ {2}IDSE030 {2}the session has reached 'tasks'/);
    expect(refused.stdout).toContain("IDSE021  session is 'complete' but its feedback is missing or empty");
    expect(refused.stdout).toMatch(/tasks\/tasks\.md:\d+ {2}open-task {2}open task: Task 0\.1/);
    expect(changed(root)).toEqual([]);
    const asJson = JSON.parse((await run(root, 'session', 'set-status', 'complete', '--json')).stdout);
    expect(asJson).toMatchObject({ refused: true, status: 'complete' });
    expect(asJson.blockers.map((b: { code: string }) => b.code)).toEqual(
      expect.arrayContaining(['IDSE030', 'IDSE021', 'open-task']),
    );
    expect(changed(root)).toEqual([]);

    expect((await run(root, 'session', 'close', '--force')).code).toBe(0);
    const record = json(root, `${meta}/session.json`);
    expect(record).toMatchObject({ status: 'complete', updated_at: NOW });
    expect(record.status_override).toMatchObject({ status: 'complete', by: 'tester', at: NOW });
    expect((record.status_override as { blocking: string[] }).blocking).toHaveLength(asJson.blockers.length);
    expect(read(root, `${meta}/meta.md`)).toMatch(/\nstatus: complete\n/);
    // A forced close is a recorded decision: IDSE037 accepts it.
    const report = JSON.parse((await run(root, 'validate', '--format', 'json')).stdout);
    expect(report.diagnostics.filter((d: { code: string }) => d.code === 'IDSE037')).toEqual([]);

    // reopen is the way back, and it drops the override.
    expect((await run(root, 'session', 'reopen')).code).toBe(0);
    expect(json(root, `${meta}/session.json`)).not.toHaveProperty('status_override');
    expect(json(root, `${meta}/session.json`).status).toBe('in_progress');
    commit(root, 'reopened');
    expect((await run(root, 'session', 'reopen')).code).toBe(2);
    expect(changed(root)).toEqual([]);
  });

  it('review needs the spec and plan started; a finished session closes without --force', async () => {
    const root = await initRepo();
    commit(root, 'base');
    const review = await run(root, 'session', 'set-status', 'review');
    expect(review.code).toBe(1);
    expect(review.stdout).toContain(
      'the spec has no content yet; review needs the spec and the plan started',
    );
    expect(changed(root)).toEqual([]);
    expect((await run(root, 'session', 'set-status', 'shipped')).code).toBe(2);

    finishSession(root, 'kickoff');
    commit(root, 'written');
    expect((await run(root, 'session', 'set-status', 'review')).code).toBe(0);
    const close = await run(root, 'session', 'close', '--json');
    expect(close.code).toBe(0);
    expect(JSON.parse(close.stdout)).toMatchObject({ status: 'complete', forced: false, blockers: [] });
    expect(json(root, `${P}/sessions/kickoff/metadata/session.json`)).not.toHaveProperty('status_override');
    expect((await run(root, 'validate')).code).toBe(0);
    // Archiving is not gated: it abandons work rather than claiming it done.
    expect((await run(root, 'session', 'archive')).code).toBe(0);
  });

  it('idse next offers nothing from a complete session and never a template line', async () => {
    const root = await initRepo();
    const next = async () => JSON.parse((await run(root, 'next', '--json')).stdout) as { key: string }[];
    // Every task of a fresh session is a template line.
    expect(await next()).toEqual([]);
    const tasks = join(root, `${P}/sessions/kickoff/tasks/tasks.md`);
    writeFileSync(
      tasks,
      '# Tasks\n\n## Phase 0\n- [ ] Task 0.1 – build it (Owner: @codex) (Deps: none)\n- [ ] Task 0.2 – ...\n',
    );
    expect((await next()).map((t) => t.key)).toEqual(['0.1']);
    await run(root, 'session', 'close', '--force');
    expect(await next()).toEqual([]);
    expect((await run(root, 'next', '--session', 'kickoff')).stdout).toBe('No task is ready.\n');
  });
});

describe('the shared upstream workspace', () => {
  const CORPUS = '/work/shared/corpus/idse-orchestrator';
  const UP = '.idse/projects/idse-orchestrator';

  async function corpusRepo(): Promise<string> {
    const root = tempDir();
    cpSync(new URL('../../fixtures/corpus/idse-orchestrator', import.meta.url), root, { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', root]);
    git(root, 'init', '-q');
    commit(root, 'upstream');
    return root;
  }

  it('every command leaves the orchestrator’s files as it would write them', async () => {
    expect(CORPUS).toContain('idse-orchestrator');
    const root = await corpusRepo();
    const file = (s: string) => `${UP}/sessions/${s}/metadata/session.json`;
    const recordOf = (s: string) => JSON.parse(read(root, file(s))) as Record<string, unknown>;

    const list = JSON.parse((await run(root, 'session', 'list', '--json')).stdout) as {
      session: string;
      type: string;
    }[];
    expect(list).toHaveLength(8);
    expect(list.filter((s) => s.type === 'blueprint').map((s) => s.session)).toEqual(['__blueprint__']);
    const lineage = JSON.parse(
      (await run(root, 'session', 'info', '__blueprint__', '--lineage', '--json')).stdout,
    );
    expect(lineage.lineage.children).toHaveLength(7);
    expect(lineage).toMatchObject({ type: 'blueprint', isBlueprint: true, owner: 'system', current: true });

    // A status change: upstream's own format, unknown bytes (a final newline here) kept.
    const designstore = recordOf('designstore-file-artifacts');
    expect(
      (await run(root, 'session', 'set-status', 'in_progress', '--session', 'designstore-file-artifacts'))
        .code,
    ).toBe(0);
    expect(read(root, file('designstore-file-artifacts'))).toBe(
      `${upstreamJson({ ...designstore, status: 'in_progress', updated_at: NOW })}\n`,
    );
    const item8 = recordOf('item8-test-session');
    await run(root, 'session', 'tag', 'legacy', '--session', 'item8-test-session');
    await run(root, 'session', 'set-owner', 'tjpilant', '--session', 'item8-test-session');
    expect(read(root, file('item8-test-session'))).toBe(
      upstreamJson({ ...item8, owner: 'tjpilant', tags: ['legacy'], updated_at: NOW }),
    );
    expect(read(root, `${UP}/sessions/item8-test-session/metadata/.owner`)).toBe(
      'Created: 2026-02-09T19:30:58.420456\nOwner: tjpilant\n',
    );
    // The blueprint's meta.md is upstream's generated registry: it is not given front matter.
    await run(root, 'session', 'set-owner', 'tjpilant', '--session', '__blueprint__');
    expect(changed(root)).not.toContain(`${UP}/sessions/__blueprint__/metadata/meta.md`);

    // Switching: the bare CURRENT_SESSION stays bare (no newline, as upstream writes it), and
    // session_state.json describes the new current session in upstream's shape.
    expect((await run(root, 'session', 'switch', 'item8-test-session')).code).toBe(0);
    expect(read(root, `${UP}/CURRENT_SESSION`)).toBe('item8-test-session');
    const state = read(root, `${UP}/session_state.json`);
    expect(Object.keys(JSON.parse(state))).toEqual(
      Object.keys(JSON.parse(readFileSync(`${CORPUS}/${UP}/session_state.json`, 'utf8'))),
    );
    expect(JSON.parse(state)).toMatchObject({
      project_name: 'idse-orchestrator',
      session_id: 'item8-test-session',
      is_blueprint: false,
    });
    expect(state).toBe(upstreamJson(JSON.parse(state)));
    expect((await run(root, 'session', 'set-stage', 'spec', '--status', 'completed')).code).toBe(0);
    expect(read(root, `${UP}/session_state.json`)).toBe(
      state
        .replace('"spec": "in_progress"', '"spec": "completed"')
        .replace('"spec": "pending"', '"spec": "completed"'),
    );

    // Spawned from the blueprint, the new session reads back as upstream's own.
    expect((await run(root, 'spawn', '--plan', 'feature', 'new-feature')).code).toBe(0);
    const spawned = read(root, file('new-feature'));
    expect(Object.keys(JSON.parse(spawned))).toEqual(Object.keys(item8));
    expect(spawned).toBe(upstreamJson(JSON.parse(spawned)));
    expect(JSON.parse(spawned)).toMatchObject({ parent_session: '__blueprint__', session_type: 'feature' });

    // Nothing else was touched.
    expect(changed(root).sort()).toEqual(
      [
        `${UP}/CURRENT_SESSION`,
        `${UP}/session_state.json`,
        `${UP}/sessions/__blueprint__/metadata/.owner`,
        `${UP}/sessions/__blueprint__/metadata/session.json`,
        file('designstore-file-artifacts'),
        file('item8-test-session'),
        `${UP}/sessions/item8-test-session/metadata/.owner`,
      ]
        .concat(
          readdirSync(join(root, `${UP}/sessions/new-feature`), { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => `${e.parentPath.slice(root.length + 1)}/${e.name}`),
        )
        .sort(),
    );
  });

  it('closing an upstream session runs the gate on its real findings', async () => {
    const root = await corpusRepo();
    // item8 is an unfilled upstream template: its markers and template task lines are not work yet
    // (no per-placeholder findings), but feedback would be empty in a complete session.
    const refused = await run(root, 'session', 'close', 'item8-test-session', '--json');
    expect(refused.code).toBe(1);
    const codes = new Set(JSON.parse(refused.stdout).blockers.map((b: { code: string }) => b.code));
    expect([...codes].sort()).toEqual(['IDSE021']);
    // sqlite-cms-refactor did its work but never ticked its tasks: those block a close.
    const unticked = await run(root, 'session', 'close', 'sqlite-cms-refactor', '--json');
    expect(unticked.code).toBe(1);
    const open = JSON.parse(unticked.stdout).blockers.filter((b: { code: string }) => b.code === 'open-task');
    expect(open).toHaveLength(12);
    expect(changed(root)).toEqual([]);
  });
});

describe('--help', () => {
  it('works for every session subcommand, wherever it stands on the line', async () => {
    const root = tempDir();
    for (const sub of [
      'new',
      'create',
      'list',
      'info',
      'switch',
      'set-owner',
      'add-collaborator',
      'remove-collaborator',
      'tag',
      'untag',
      'set-status',
      'set-stage',
      'close',
      'archive',
      'reopen',
    ]) {
      const help = await run(root, 'session', sub, 'some-arg', '--json', '--help');
      expect({ sub, code: help.code }).toEqual({ sub, code: 0 });
      // `create` is another path of `new`, whose usage is shown.
      expect(help.stdout).toContain(`$ idse session ${sub === 'create' ? 'new' : sub}`);
    }
    expect((await run(root, 'spawn', 'x', '--help')).stdout).toContain('$ idse spawn');
    expect((await run(root, 'validate', 'x', '--help')).stdout).toContain('$ idse validate');
    // After `--`, --help is an argument, not a request for help.
    expect((await run(root, 'session', 'tag', '--', '--help')).code).toBe(2);
  });
});
