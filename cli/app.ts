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
} from './commands/agency.ts';
import {
  AgencyClientsAddCommand,
  AgencyKeysCreateCommand,
  AgencyKeysListCommand,
  AgencyKeysRevokeCommand,
} from './commands/agency-keys.ts';
import { AgentsInitCommand } from './commands/agents.ts';
import { AppCommand } from './commands/app.ts';
import { DesignCheckCommand } from './commands/design.ts';
import { DoctorCommand } from './commands/doctor.ts';
import { HandoffCommand } from './commands/handoff.ts';
import { InitCommand } from './commands/init.ts';
import { McpCommand } from './commands/mcp.ts';
import { ReportCommand } from './commands/report.ts';
import { NextCommand, RouteCommand } from './commands/route.ts';
import { RulesCommand } from './commands/rules.ts';
import {
  SessionArchiveCommand,
  SessionCloseCommand,
  SessionListCommand,
  SessionNewCommand,
} from './commands/session.ts';
import { StatusCommand } from './commands/status.ts';
import { SYNC_COMMANDS } from './commands/sync.ts';
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
    SessionListCommand,
    SessionCloseCommand,
    SessionArchiveCommand,
    NextCommand,
    RouteCommand,
    AgentsInitCommand,
    McpCommand,
    HandoffCommand,
    DesignCheckCommand,
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
    // Unknown commands, bad options and invalid values all land here: they are usage errors.
    context.stderr.write(cli.error(error, { command: null }));
    return 2;
  }
  return cli.run(command, context);
}

/** The process entry: real streams, real cwd, real clock. */
export async function main(argv: string[]): Promise<number> {
  // Clipanion's default colour depth reads TERM, not the stream: piped output got escape codes.
  const colorDepth = shouldUseColor(process.stdout, process.env)
    ? (process.stdout.getColorDepth?.() ?? 8)
    : 1;
  return runCli(argv, { ...Cli.defaultContext, colorDepth, cwd: process.cwd(), now: () => new Date() });
}
