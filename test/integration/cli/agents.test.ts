import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK_END } from '../../../src/agents/instructions.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

const outside = (text: string) => {
  const begin = text.indexOf('<!-- idse:begin');
  const end = text.indexOf(BLOCK_END) + BLOCK_END.length;
  return text.slice(0, begin) + text.slice(end);
};

describe('idse agents init', () => {
  it('writes managed blocks and never touches user text outside them across reruns', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    writeFileSync(join(root, 'AGENTS.md'), '# Our agents\n\nHouse rules written by people.\n');
    const first = await idse(['agents', 'init'], { cwd: root });
    expect(first.stdout).toBe(
      'updated   AGENTS.md\nupdated   CLAUDE.md\nupdated   .github/copilot-instructions.md\n',
    );
    const agents = readFileSync(join(root, 'AGENTS.md'), 'utf8');
    expect(agents.startsWith('# Our agents\n\nHouse rules written by people.\n\n<!-- idse:begin')).toBe(true);
    expect(agents).toContain('- `demo/kickoff` (current): stage not started');
    expect(agents).toContain('idse next --agent <your name>');

    for (let round = 1; round <= 3; round++) {
      // The user edits around the block; the session moves on; idse reruns.
      const before = `${readFileSync(join(root, 'AGENTS.md'), 'utf8')}\nEdit ${round} below the block.\n`;
      writeFileSync(join(root, 'AGENTS.md'), `Preface ${round}\n${before}`);
      const intent = join(root, 'projects/demo/sessions/kickoff/intents/intent.md');
      writeFileSync(intent, readFileSync(intent, 'utf8').replace('[REQUIRES INPUT]', `Goal ${round}`));
      const userText = outside(readFileSync(join(root, 'AGENTS.md'), 'utf8'));
      await idse(['agents', 'init'], { cwd: root });
      expect(outside(readFileSync(join(root, 'AGENTS.md'), 'utf8'))).toBe(userText);
    }
    const again = await idse(['agents', 'init'], { cwd: root });
    expect(again.stdout).toContain('unchanged AGENTS.md');
    expect(readFileSync(join(root, 'CLAUDE.md'), 'utf8').match(/idse:begin/g)).toHaveLength(1);
    expect((await idse(['agents', 'init', '--agent', 'nobody'], { cwd: root })).code).toBe(2);
  });

  it('lists ready tasks per agent with `idse next` and the assignment table with `idse route`', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    const tasks = join(root, 'projects/demo/sessions/kickoff/tasks/tasks.md');
    writeFileSync(
      tasks,
      '# Tasks\n\n## Phase 0\n- [x] Task 0.1 – done (Owner: @claude) (Acceptance: FR-1)\n- [ ] Task 0.2 – next (Owner: @codex) (Deps: Task 0.1) (Acceptance: FR-1)\n- [ ] Task 0.3 – later (Owner: @codex) (Deps: Task 0.2) (Acceptance: FR-1)\n',
    );
    const next = JSON.parse((await idse(['next', '--agent', 'codex', '--json'], { cwd: root })).stdout);
    expect(next.map((t: { key: string }) => t.key)).toEqual(['0.2']);
    expect((await idse(['next', '--agent', 'claude'], { cwd: root })).stdout).toBe(
      'No task is ready for claude.\n',
    );
    const table = (await idse(['route'], { cwd: root })).stdout.split('\n');
    expect(table[0]).toMatch(/^session\s+task\s+agent\s+by\s+state$/);
    expect(table.slice(1, 4).map((l) => l.split(/\s{2,}/).slice(1))).toEqual([
      ['Task 0.1', 'claude', 'owner', 'done'],
      ['Task 0.2', 'codex', 'owner', 'ready'],
      ['Task 0.3', 'codex', 'owner', 'waiting'],
    ]);
  });
});
