import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { idse, tempDir } from '../../helpers/cli.ts';

// The built CLI, as an agent would start it (`idse mcp`); the test command builds dist/ first.
const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));
const S = 'projects/demo/sessions/kickoff';
let client: Client | undefined;

afterEach(async () => {
  await client?.close();
  client = undefined;
});

async function connect(root: string, cacheDir: string): Promise<Client> {
  client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp', '--root', root],
      env: { IDSE_CACHE_DIR: cacheDir, PATH: process.env.PATH ?? '' },
    }),
  );
  return client;
}

async function call(c: Client, name: string, args: Record<string, unknown>) {
  const result = (await c.callTool({ name, arguments: args })) as {
    content: { text: string }[];
    isError?: boolean;
  };
  const text = result.content[0]!.text;
  return { isError: result.isError === true, text, json: result.isError ? undefined : JSON.parse(text) };
}

describe('idse mcp', () => {
  it('serves the session to an agent: list, next, read, validate, tick, feedback — inside the session only', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    const tasks = join(root, S, 'tasks/tasks.md');
    writeFileSync(
      tasks,
      '# Tasks\n\n## Phase 0\n- [ ] Task 0.1 – build (Owner: @codex) (Deps: none) (Acceptance: FR-1)\n- [ ] Task 0.2 – test (Owner: @codex) (Deps: Task 0.1) (Acceptance: FR-1)\n- [ ] Task 0.3 – ... (Owner: @codex) (Deps: none) (Acceptance: ...)\n',
    );
    // Feedback may cite only requirements a written spec defines (a template's `FR-1: [REQUIRES INPUT]` is none).
    writeFileSync(
      join(root, S, 'specs/spec.md'),
      '# Spec\n\n## Functional Requirements\n\n- FR-1: Export as CSV.\n',
    );
    symlinkSync('/etc', join(root, S, 'escape'));
    const c = await connect(root, tempDir('idse-cache-'));

    const tools = (await c.listTools()).tools.map((t) => t.name).sort();
    expect(tools).toEqual([
      'append_feedback',
      'list_sessions',
      'mark_task_done',
      'next_tasks',
      'read_doc',
      'validate_session',
    ]);

    const sessions = await call(c, 'list_sessions', {});
    expect(
      sessions.json.map((s: { project: string; session: string; current: boolean }) => [
        s.project,
        s.session,
        s.current,
      ]),
    ).toEqual([
      ['demo', '__blueprint__', false],
      ['demo', 'kickoff', true],
    ]);

    // Task 0.3 is a template line: ready, but nothing anyone can start.
    const next = await call(c, 'next_tasks', { agent: 'codex' });
    expect(next.json.map((t: { key: string }) => t.key)).toEqual(['0.1']);

    const goal = await call(c, 'read_doc', {
      project: 'demo',
      session: 'kickoff',
      kind: 'intent',
      section: 'goal',
    });
    expect(goal.json.path).toBe(`${S}/intents/intent.md`);
    expect(goal.json.text.startsWith('## Goal\n')).toBe(true);

    const findings = await call(c, 'validate_session', { project: 'demo', session: 'kickoff' });
    expect(findings.json.some((d: { code: string }) => d.code === 'IDSE010')).toBe(true);

    const done = await call(c, 'mark_task_done', { project: 'demo', session: 'kickoff', task: 'Task 0.1' });
    expect(done.json).toEqual({ file: `${S}/tasks/tasks.md`, line: 4, label: 'Task 0.1' });
    expect(readFileSync(tasks, 'utf8')).toContain('- [x] Task 0.1 – build');
    expect((await call(c, 'next_tasks', { agent: 'codex' })).json.map((t: { key: string }) => t.key)).toEqual(
      ['0.2'],
    );

    const feedback = await call(c, 'append_feedback', {
      project: 'demo',
      session: 'kickoff',
      text: 'Schema needed an index.',
      tasks: ['0.1'],
      requirements: ['FR-1'],
    });
    expect(feedback.json).toEqual({ file: `${S}/feedback/feedback.md` });
    // A complete session offers no tasks, whatever is still open in it.
    expect((await idse(['session', 'close', 'kickoff', '--force'], { cwd: root })).code).toBe(0);
    expect((await call(c, 'next_tasks', { agent: 'codex' })).json).toEqual([]);
    expect((await call(c, 'next_tasks', { session: 'kickoff' })).json).toEqual([]);
    expect(readFileSync(join(root, S, 'feedback/feedback.md'), 'utf8')).toMatch(
      /\n## Agent feedback\n\n- \d{4}-\d\d-\d\d — Task 0\.1 \/ FR-1: Schema needed an index\.\n$/,
    );

    // Refusals: coded errors, nothing written.
    for (const path of ['../../../../etc/passwd', '/etc/passwd', 'escape/passwd']) {
      const refused = await call(c, 'read_doc', { project: 'demo', session: 'kickoff', path });
      expect(refused).toMatchObject({ isError: true });
      expect(refused.text).toMatch(/^\[outside-session\]/);
    }
    const unlinked = await call(c, 'append_feedback', {
      project: 'demo',
      session: 'kickoff',
      text: 'No citation.',
    });
    expect(unlinked.text).toBe('[usage] a feedback entry cites at least one task or requirement');
    const unknown = await call(c, 'append_feedback', {
      project: 'demo',
      session: 'kickoff',
      text: 'x',
      requirements: ['FR-99'],
    });
    expect(unknown.text).toBe("[usage] no requirement 'FR-99' in this session's spec");
    expect((await call(c, 'mark_task_done', { project: 'demo', session: 'nope', task: '0.1' })).text).toBe(
      '[usage] no session demo/nope',
    );
  });
});
