import { Builtins, Cli } from 'clipanion';
import { shouldUseColor } from '../src/report/pretty.ts';
import { VERSION } from '../src/version.ts';
import {
  AgencyArchiveCommand,
  AgencyClientsCommand,
  AgencyProjectsCommand,
  AgencyReportCommand,
  AgencySessionsCommand,
  AgencyUnarchiveCommand,
} from './commands/agency/clients.ts';
import {
  AgencyClientsAddCommand,
  AgencyKeysCreateCommand,
  AgencyKeysListCommand,
  AgencyKeysRevokeCommand,
} from './commands/agency/keys.ts';
import { AgentsGateCommand, AgentsInstallHooksCommand } from './commands/agents/gate.ts';
import { AgentsInitCommand } from './commands/agents/init.ts';
import { AgentsListCommand, AgentsSetModeCommand, AgentsSetRoleCommand } from './commands/agents/list.ts';
import { AppCommand } from './commands/app.ts';
import { BLUEPRINT_COMMANDS } from './commands/blueprint/promote.ts';
import { CompileAgentSpecCommand } from './commands/compile/agent-spec.ts';
import { DesignCheckCommand, DesignExportCommand } from './commands/design/check.ts';
import { DoctorCommand } from './commands/doctor.ts';
import { ExportCommand, QueryCommand } from './commands/export.ts';
import { HandoffCommand } from './commands/handoff.ts';
import { InitCommand } from './commands/init.ts';
import { McpCommand } from './commands/mcp.ts';
import { ReportCommand } from './commands/report.ts';
import { NextCommand, RouteCommand } from './commands/route.ts';
import { RulesCommand } from './commands/rules.ts';
import { SESSION_LIST_COMMANDS } from './commands/session/list.ts';
import { SESSION_META_COMMANDS } from './commands/session/meta.ts';
import { SessionNewCommand, SpawnCommand } from './commands/session/new.ts';
import { SESSION_STATUS_COMMANDS } from './commands/session/set-status.ts';
import { StatusCommand } from './commands/status.ts';
import { SYNC_COMMANDS } from './commands/sync/push.ts';
import { ValidateCommand } from './commands/validate.ts';
import type { IdseContext } from './context.ts';

/** `enableColors`: whether usage and errors are coloured (clipanion's own default reads TERM, not the stream). */
export function createCli(enableColors = false): Cli<IdseContext> {
  const cli = new Cli<IdseContext>({
    binaryLabel: 'idse',
    binaryName: 'idse',
    binaryVersion: VERSION,
    enableColors,
  });
  for (const command of [
    InitCommand,
    ValidateCommand,
    StatusCommand,
    RulesCommand,
    ReportCommand,
    DoctorCommand,
    SessionNewCommand,
    SpawnCommand,
    ...SESSION_LIST_COMMANDS,
    ...SESSION_STATUS_COMMANDS,
    ...SESSION_META_COMMANDS,
    NextCommand,
    RouteCommand,
    AgentsInitCommand,
    AgentsListCommand,
    AgentsSetModeCommand,
    AgentsSetRoleCommand,
    AgentsInstallHooksCommand,
    AgentsGateCommand,
    ...BLUEPRINT_COMMANDS,
    CompileAgentSpecCommand,
    ExportCommand,
    QueryCommand,
    McpCommand,
    HandoffCommand,
    DesignCheckCommand,
    DesignExportCommand,
    AppCommand,
    AgencyClientsAddCommand,
    AgencyKeysCreateCommand,
    AgencyKeysListCommand,
    AgencyKeysRevokeCommand,
    ...SYNC_COMMANDS,
    AgencyClientsCommand,
    AgencyProjectsCommand,
    AgencySessionsCommand,
    AgencyArchiveCommand,
    AgencyUnarchiveCommand,
    AgencyReportCommand,
    Builtins.HelpCommand,
    Builtins.VersionCommand,
  ]) {
    cli.register(command);
  }
  return cli;
}

/** Runs one command line; usage errors exit 2 (clipanion's own default is 1, which means "findings"). */
export async function runCli(argv: string[], context: IdseContext): Promise<number> {
  const cli = createCli(context.colorDepth > 1);
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
  // Clipanion's default colour depth reads TERM, not the stream: piped output got escape codes.
  const colorDepth = shouldUseColor(process.stdout, process.env)
    ? (process.stdout.getColorDepth?.() ?? 8)
    : 1;
  return runCli(argv, { ...Cli.defaultContext, colorDepth, cwd: process.cwd(), now: () => new Date() });
}
