/**
 * The Claude Code hook as Claude Code runs it: the built CLI as a process, the PreToolUse payload on
 * stdin in the shape Claude Code sends, the decision read back from stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idse, tempDir } from '../../helpers/cli.ts';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

/** Claude Code's PreToolUse input: common fields plus the tool's name and input. */
const payload = (root: string, tool: string, input: Record<string, unknown>) =>
  JSON.stringify({
    session_id: 'a1b2c3d4-0000-4000-8000-000000000001',
    transcript_path: '/home/dev/.claude/projects/demo/a1b2c3d4.jsonl',
    cwd: root,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: input,
    tool_use_id: 'toolu_01ABC123',
  });

function gate(root: string, stdin: string) {
  const run = spawnSync(process.execPath, [CLI, 'agents', 'gate', '--agent', 'claude', '--root', root], {
    cwd: root,
    input: stdin,
    env: { PATH: process.env.PATH, IDSE_CACHE_DIR: join(root, '.cache') },
    encoding: 'utf8',
  });
  expect([run.status, run.signal, run.error?.message]).toEqual([0, null, undefined]);
  expect(run.stderr).toBe('');
  if (run.stdout === '') return { decision: 'none' };
  const out = JSON.parse(run.stdout).hookSpecificOutput;
  expect(out.hookEventName).toBe('PreToolUse');
  return { decision: out.permissionDecision as string, reason: out.permissionDecisionReason as string };
}

describe('idse agents gate (Claude Code PreToolUse hook)', () => {
  let root: string;
  const spec = () => join(root, 'projects/demo/sessions/kickoff/specs/spec.md');

  // One workspace through the three cases (the helper's temp dirs last one test only).
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'idse-gate-'));
    await idse(['init', 'demo'], { cwd: root });
  }, 30_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stays silent without a mode, then enforces planning mode on writes and shell commands', async () => {
    expect(gate(root, payload(root, 'Write', { file_path: join(root, 'src/app.ts'), content: 'x' }))).toEqual(
      {
        decision: 'none',
      },
    );
    expect((await idse(['agents', 'set-mode', 'claude', 'planning'], { cwd: root })).code).toBe(0);

    const source = gate(root, payload(root, 'Write', { file_path: join(root, 'src/app.ts'), content: 'x' }));
    expect(source.decision).toBe('deny');
    expect(source.reason).toContain('planning mode');
    expect(source.reason).toContain('src/app.ts is not one');
    const edit = gate(
      root,
      payload(root, 'Edit', {
        file_path: spec(),
        old_string: '[REQUIRES INPUT]',
        new_string: 'Done',
        replace_all: false,
      }),
    );
    expect(edit).toEqual({
      decision: 'allow',
      reason: expect.stringContaining('projects/demo/sessions/kickoff/specs/spec.md is a session doc'),
    });
    // Any layout idse discovers: a flat session under the orchestrator's `.idse/projects/`, and a relative path.
    const flat = payload(root, 'MultiEdit', {
      file_path: '.idse/projects/other/sessions/s1/plan.md',
      edits: [{ old_string: 'a', new_string: 'b' }],
    });
    expect(gate(root, flat).decision).toBe('allow');
    expect(
      gate(root, payload(root, 'NotebookEdit', { notebook_path: join(root, 'nb.ipynb'), new_source: 'x' }))
        .decision,
    ).toBe('deny');
    // The registry itself is not a session doc: a planning agent cannot switch its own mode.
    expect(
      gate(
        root,
        payload(root, 'Write', { file_path: join(root, 'projects/demo/agent_registry.json'), content: '{}' }),
      ).decision,
    ).toBe('deny');
    expect(gate(root, payload(root, 'Write', { file_path: '/etc/passwd', content: '' })).decision).toBe(
      'deny',
    );

    for (const command of [
      'git log --oneline -5 && git diff HEAD~1',
      'grep -rn FR- projects | head -20',
      'idse validate --format json 2>&1',
      'ls -la > /dev/null',
    ])
      expect({
        command,
        ...gate(root, payload(root, 'Bash', { command, description: 'look' })),
      }).toMatchObject({ command, decision: 'allow' });
    for (const [command, why] of [
      ['npm test > out.txt', 'writes to `out.txt`'],
      ['rm -rf build', '`rm` is not a read-only command'],
      ['cat a; echo $(curl evil.example)', 'command substitution'],
      ['find . -name "*.md" -delete', '`find -delete`'],
      ['git commit -am wip', '`git commit` is not a read-only command'],
      ['idse validate -o report.json', '`idse -o`'],
    ] as const)
      expect(gate(root, payload(root, 'Bash', { command })).reason).toContain(why);
  });

  it('refuses edits to a closed session in implementation mode, and leaves everything else to Claude Code', async () => {
    await idse(['agents', 'set-mode', 'claude-code', 'implementation'], { cwd: root });
    expect(gate(root, payload(root, 'Write', { file_path: join(root, 'src/app.ts'), content: 'x' }))).toEqual(
      { decision: 'none' },
    );
    expect(gate(root, payload(root, 'Bash', { command: 'rm -rf build' }))).toEqual({ decision: 'none' });
    expect((await idse(['session', 'close', 'kickoff', '--force'], { cwd: root })).code).toBe(0);
    const closed = gate(root, payload(root, 'Edit', { file_path: spec(), old_string: 'a', new_string: 'b' }));
    expect(closed.decision).toBe('deny');
    expect(closed.reason).toContain('closed session demo/kickoff');
  });

  it('denies, with the reason, input that is not a PreToolUse payload — never a crash', () => {
    for (const [stdin, why] of [
      ['', 'not JSON'],
      ['{"tool_name": "Write", "tool_input": ', 'not JSON'],
      ['[1, 2]', 'not a PreToolUse payload'],
      [JSON.stringify({ tool_name: 'Write' }), '`tool_input`'],
      [payload(root, 'Write', { content: 'x' }), '`file_path` is missing'],
    ] as const)
      expect({ stdin, ...gate(root, stdin) }).toMatchObject({
        stdin,
        decision: 'deny',
        reason: expect.stringContaining(why),
      });
    writeFileSync(join(root, 'projects/demo/agent_registry.json'), '{"agents": [');
    const broken = gate(root, payload(root, 'Bash', { command: 'ls' }));
    expect(broken.decision).toBe('deny');
    expect(broken.reason).toContain('agent_registry.json');
  });

  it('leaves help and lines its own entry cannot read to the whole CLI, which answers as for any command', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, 'agents', 'gate', ...args], {
        cwd: root,
        input: '',
        encoding: 'utf8',
      });
    const unknown = run('--nope');
    expect([unknown.status, unknown.stdout]).toEqual([2, '']);
    expect(unknown.stderr).toContain('Unsupported option name ("--nope")');
    const help = run('--root', root, '--help');
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toContain('Answer a Claude Code PreToolUse hook');
  });
});

describe('idse agents install-hooks', () => {
  it('adds the gate beside the user’s own hooks, once, and leaves an unreadable settings file alone', async () => {
    const root = tempDir();
    const settings = join(root, '.claude/settings.json');
    const mine = {
      permissions: { allow: ['Bash(npm test)'] },
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './audit.sh' }] }],
        PostToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'prettier --write' }] }],
      },
    };
    const first = await idse(['agents', 'install-hooks'], { cwd: root });
    expect(first.stdout).toBe('created   .claude/settings.json\n');
    writeFileSync(settings, JSON.stringify(mine));
    expect((await idse(['agents', 'install-hooks', '--command', 'npx idse'], { cwd: root })).stdout).toBe(
      'updated   .claude/settings.json\n',
    );
    const merged = JSON.parse(readFileSync(settings, 'utf8'));
    expect(merged.permissions).toEqual(mine.permissions);
    expect(merged.hooks.PostToolUse).toEqual(mine.hooks.PostToolUse);
    expect(merged.hooks.PreToolUse).toEqual([
      mine.hooks.PreToolUse[0],
      {
        matcher: 'Write|Edit|MultiEdit|NotebookEdit|Bash',
        hooks: [
          { type: 'command', command: 'npx idse agents gate --agent claude --root "$CLAUDE_PROJECT_DIR"' },
        ],
      },
    ]);
    expect((await idse(['agents', 'install-hooks', '--command', 'npx idse'], { cwd: root })).stdout).toBe(
      'unchanged .claude/settings.json\n',
    );
    // A later install with another command updates the gate in place instead of adding a second one.
    await idse(['agents', 'install-hooks'], { cwd: root });
    const again = JSON.parse(readFileSync(settings, 'utf8'));
    expect(again.hooks.PreToolUse).toHaveLength(2);
    expect(again.hooks.PreToolUse[1].hooks[0].command).toMatch(/^idse agents gate/);

    writeFileSync(settings, '{ "hooks": ');
    const broken = await idse(['agents', 'install-hooks'], { cwd: root });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('.claude/settings.json: cannot add the hook: it is not valid JSON');
    expect(readFileSync(settings, 'utf8')).toBe('{ "hooks": ');
  });
});

describe('idse agents list / set-mode / set-role', () => {
  it('reads and writes upstream’s agent_registry.json, keeping what it does not know', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    const file = join(root, 'projects/demo/agent_registry.json');
    const list = async () => JSON.parse((await idse(['agents', 'list', '--json'], { cwd: root })).stdout);
    expect((await list()).exists).toBe(false);
    expect((await list()).agents.map((a: { id: string }) => a.id)).toEqual(['claude-code', 'gpt-codex']);

    writeFileSync(
      file,
      JSON.stringify({
        agents: [{ id: 'gpt-codex', role: 'implementer', stages: ['implementation'], model: 'o4' }],
        owner: 'team',
      }),
    );
    expect((await idse(['agents', 'set-mode', 'codex', 'implementation'], { cwd: root })).stdout).toContain(
      'updated gpt-codex: mode — → implementation',
    );
    expect((await idse(['agents', 'set-role', '@cursor', 'reviewer'], { cwd: root })).stdout).toContain(
      'added cursor',
    );
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      agents: [
        {
          id: 'gpt-codex',
          role: 'implementer',
          stages: ['implementation'],
          model: 'o4',
          mode: 'implementation',
        },
        { id: 'cursor', role: 'reviewer' },
      ],
      owner: 'team',
    });
    expect((await idse(['agents', 'set-mode', 'gpt-codex', 'implementation'], { cwd: root })).stdout).toBe(
      'gpt-codex mode is already implementation\n',
    );
    const bad = await idse(['agents', 'set-mode', 'codex', 'yolo'], { cwd: root });
    expect([bad.code, bad.stderr]).toEqual([
      2,
      "idse: unknown mode 'yolo' (modes: planning, implementation) [usage]\n",
    ]);
    writeFileSync(file, '{"agents": [{"id": "x", "mode": "sometimes"}]}');
    const invalid = await idse(['agents', 'list'], { cwd: root });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('projects/demo/agent_registry.json: `agents.0.mode`');
  });
});
