import { describe, expect, it } from 'vitest';
import { allCommands, COMMANDS, commandsNamedBy } from '../../../cli/commands/index.ts';

describe('the command list', () => {
  it('finds every command path in the group its first words name', async () => {
    const all = await allCommands();
    expect(all.length).toBeGreaterThan(50);
    for (const command of all) {
      for (const path of command.paths ?? []) {
        // Command.Default (the empty path) is reached through the whole CLI.
        if (path.length === 0) continue;
        const named = commandsNamedBy(path);
        expect(named, `no group for '${path.join(' ')}'`).toBeDefined();
        expect(await named!(), `'${path.join(' ')}' is not in its group`).toContain(command);
      }
    }
  });

  it('has no group that loads a command none of its paths lead to', async () => {
    for (const [key, load] of Object.entries(COMMANDS)) {
      const words = key.split(' ');
      for (const command of await load()) {
        const paths = (command.paths ?? []).filter((p) => p.length > 0);
        expect(
          paths.some((p) => words.every((w, i) => p[i] === w)),
          `${command.name} in '${key}'`,
        ).toBe(true);
      }
    }
  });

  it('names nothing for help, a path or words that are no command', () => {
    expect(commandsNamedBy([])).toBeUndefined();
    expect(commandsNamedBy(['--help'])).toBeUndefined();
    expect(commandsNamedBy(['projects/shop'])).toBeUndefined();
    expect(commandsNamedBy(['constructor'])).toBeUndefined();
    expect(commandsNamedBy(['agents', 'gate'])).toBe(COMMANDS['agents gate']);
    expect(commandsNamedBy(['agents', 'list'])).toBe(COMMANDS.agents);
  });
});
