import { Cli } from 'clipanion';
import { VERSION } from '../src/version.ts';
import { AgentsGateCommand } from './commands/agents/gate.ts';
import { processContext } from './context.ts';

/**
 * `idse agents gate` runs before every tool call Claude Code makes, so it has an entry of its own
 * that loads no other command. A line this CLI of one command cannot read (a typo, `--version`)
 * is left to the whole CLI, which answers it as it always did: `undefined` means "not mine".
 */
export async function main(argv: string[]): Promise<number | undefined> {
  const context = processContext();
  const cli = new Cli<typeof context>({
    binaryLabel: 'idse',
    binaryName: 'idse',
    binaryVersion: VERSION,
    enableColors: context.colorDepth > 1,
  });
  cli.register(AgentsGateCommand);
  let command: ReturnType<typeof cli.process>;
  try {
    command = cli.process(argv, context);
  } catch {
    return undefined;
  }
  return cli.run(command, context);
}
