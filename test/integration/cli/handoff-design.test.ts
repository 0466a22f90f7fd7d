import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idse, tempDir } from '../../helpers/cli.ts';

const S = 'projects/demo/sessions/kickoff';

describe('idse handoff', () => {
  it('moves a task to another agent and records the handoff under it', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    const tasks = join(root, S, 'tasks/tasks.md');
    writeFileSync(
      tasks,
      '# Tasks\n\n## Phase 0\n- [ ] Task 0.1 – build (Owner: @claude) (Acceptance: FR-1)\n- [ ] Task 0.2 – nested style\n  - Owner: @claude\n  - Acceptance: FR-1\n',
    );
    const first = await idse(['handoff', 'Task 0.1', '--to', 'codex', '--note', 'needs  the\nmigration'], {
      cwd: root,
    });
    expect(first.stdout).toBe(`Task 0.1 → @codex (${S}/tasks/tasks.md:4)\n`);
    await idse(['handoff', '0.2', '--to', '@codex'], { cwd: root });
    expect(readFileSync(tasks, 'utf8')).toBe(
      '# Tasks\n\n## Phase 0\n- [ ] Task 0.1 – build (Owner: @codex) (Acceptance: FR-1)\n  - Handoff: @claude → @codex on 2026-11-25: needs the migration\n- [ ] Task 0.2 – nested style\n  - Owner: @codex\n  - Acceptance: FR-1\n  - Handoff: @claude → @codex on 2026-11-25\n',
    );
    const route = JSON.parse((await idse(['route', '--json'], { cwd: root })).stdout);
    expect(route.map((t: { key: string; agent: string }) => [t.key, t.agent])).toEqual([
      ['0.1', 'codex'],
      ['0.2', 'codex'],
    ]);
    expect((await idse(['handoff', 'Task 9.9', '--to', 'codex'], { cwd: root })).stderr).toContain(
      "no task 'Task 9.9'",
    );
  });
});

describe('idse design check', () => {
  it('lists agency:// references and flags the ones the manifest lacks', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    writeFileSync(join(root, 'idse.config.yml'), 'design:\n  manifest: design.json\n');
    writeFileSync(
      join(root, 'design.json'),
      JSON.stringify({ components: [{ id: 'button', name: 'Button', version: '2.1.0' }] }),
    );
    const plan = join(root, S, 'plans/plan.md');
    writeFileSync(plan, `${readFileSync(plan, 'utf8')}\nUses agency://button@2 and agency://date-picker.\n`);
    const run = await idse(['design', 'check'], { cwd: root });
    const lines = run.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${S}/plans/plan\\.md:\\d+:6  agency://button@2  ✔$`)),
      expect.stringMatching(
        new RegExp(
          `^${S}/plans/plan\\.md:\\d+:28  agency://date-picker  ✖ agency://date-picker is not a component of the design manifest \\(design\\.json\\)$`,
        ),
      ),
    ]);
    expect(run.code).toBe(1);
    writeFileSync(join(root, 'idse.config.yml'), 'rules: {}\n');
    expect((await idse(['design', 'check'], { cwd: root })).code).toBe(2);
  });
});
