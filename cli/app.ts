import { Builtins, Cli, type CommandClass } from 'clipanion';
import { VERSION } from '../src/version.ts';
import { allCommands, commandsNamedBy } from './commands/index.ts';
import { type IdseContext, processContext } from './context.ts';

/**
 * A CLI of the given commands. `enableColors`: whether usage and errors are coloured (clipanion's
 * own default reads TERM, not the stream).
 */
function createCli(commands: Iterable<CommandClass<IdseContext>>, enableColors: boolean): Cli<IdseContext> {
  const cli = new Cli<IdseContext>({
    binaryLabel: 'idse',
    binaryName: 'idse',
    binaryVersion: VERSION,
    enableColors,
  });
  for (const command of commands) cli.register(command);
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  return cli;
}

/**
 * Runs one command line; usage errors exit 2 (clipanion's own default is 1, which means "findings").
 * Only the commands the line names are loaded; a line they cannot read (help, a typo, a path for the
 * default command) goes to the whole CLI, which answers it as before.
 */
export async function runCli(argv: string[], context: IdseContext): Promise<number> {
  const named = commandsNamedBy(argv);
  if (named) {
    const cli = createCli(await named(), context.colorDepth > 1);
    const command = parse(cli, argv, context);
    if (command) return cli.run(command, context);
  }
  const cli = createCli(await allCommands(), context.colorDepth > 1);
  let command: ReturnType<typeof cli.process>;
  try {
    command = cli.process(argv, context);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const help = helpFor(cli, argv, context);
    if (help) return cli.run(help, context);
    // Unknown commands, bad options and invalid values all land here: they are usage errors.
    context.stderr.write(cli.error(error, { command: null }));
    return 2;
  }
  return cli.run(command, context);
}

/** The command a line asks for, its help when it asks for help, or undefined when it reads as neither. */
function parse(cli: Cli<IdseContext>, argv: readonly string[], context: IdseContext) {
  try {
    return cli.process([...argv], context);
  } catch {
    return helpFor(cli, argv, context);
  }
}

/**
 * Clipanion answers `--help` only right after a command's path: `idse session close x --help` was a
 * usage error. When a line asks for help anywhere (before `--`), the help of the longest command
 * path it starts with is shown instead.
 */
function helpFor(cli: Cli<IdseContext>, argv: readonly string[], context: IdseContext) {
  const end = argv.indexOf('--');
  const args = end === -1 ? argv : argv.slice(0, end);
  if (!args.includes('--help') && !args.includes('-h')) return undefined;
  const words = args.filter((a) => !a.startsWith('-'));
  for (let n = words.length; n > 0; n--) {
    try {
      return cli.process([...words.slice(0, n), '--help'], context);
    } catch {
      // Not a command path (or not a whole one): try a shorter one.
    }
  }
  return undefined;
}

/** The process entry: real streams, real cwd, real clock. */
export async function main(argv: string[]): Promise<number> {
  return runCli(argv, processContext());
}
