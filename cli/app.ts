import { Builtins, Cli } from 'clipanion';
import { VERSION } from '../src/version.ts';
import { AgencyArchiveCommand, AgencyUnarchiveCommand } from './commands/agency/archive.ts';
import { AgencyClientsAddCommand, AgencyClientsCommand } from './commands/agency/clients.ts';
import {
  AgencyKeysCreateCommand,
  AgencyKeysListCommand,
  AgencyKeysRevokeCommand,
} from './commands/agency/keys.ts';
import { AgencyProjectsCommand } from './commands/agency/projects.ts';
import { AgencyPublishCommand } from './commands/agency/publish.ts';
import { AgencyReportCommand } from './commands/agency/report.ts';
import { AgencySessionsCommand } from './commands/agency/sessions.ts';
import { AgentsGateCommand } from './commands/agents/gate.ts';
import { AgentsInitCommand } from './commands/agents/init.ts';
import { AgentsInstallHooksCommand } from './commands/agents/install-hooks.ts';
import { AgentsListCommand } from './commands/agents/list.ts';
import { AgentsSetModeCommand } from './commands/agents/set-mode.ts';
import { AgentsSetRoleCommand } from './commands/agents/set-role.ts';
import { AppCommand } from './commands/app.ts';
import { BlueprintClaimsCommand } from './commands/blueprint/claims.ts';
import { BlueprintDeclareCommand } from './commands/blueprint/declare.ts';
import { BlueprintDemoteCommand } from './commands/blueprint/demote.ts';
import { BlueprintExtractCandidatesCommand } from './commands/blueprint/extract-candidates.ts';
import { BlueprintPromoteCommand } from './commands/blueprint/promote.ts';
import { BlueprintReinforceCommand } from './commands/blueprint/reinforce.ts';
import { BlueprintVerifyCommand } from './commands/blueprint/verify.ts';
import { CompileAgentSpecCommand } from './commands/compile/agent-spec.ts';
import { DesignCheckCommand } from './commands/design/check.ts';
import { DesignExportCommand } from './commands/design/export.ts';
import { DoctorCommand } from './commands/doctor.ts';
import { ExportCommand } from './commands/export.ts';
import { HandoffCommand } from './commands/handoff.ts';
import { InitCommand } from './commands/init.ts';
import { McpCommand } from './commands/mcp.ts';
import { NextCommand } from './commands/next.ts';
import { QueryCommand } from './commands/query.ts';
import { ReportCommand } from './commands/report.ts';
import { RouteCommand } from './commands/route.ts';
import { RulesCommand } from './commands/rules.ts';
import { SessionAddCollaboratorCommand } from './commands/session/add-collaborator.ts';
import { SessionArchiveCommand } from './commands/session/archive.ts';
import { SessionCloseCommand } from './commands/session/close.ts';
import { SessionInfoCommand } from './commands/session/info.ts';
import { SessionListCommand } from './commands/session/list.ts';
import { SessionNewCommand } from './commands/session/new.ts';
import { SessionRemoveCollaboratorCommand } from './commands/session/remove-collaborator.ts';
import { SessionReopenCommand } from './commands/session/reopen.ts';
import { SessionSetOwnerCommand } from './commands/session/set-owner.ts';
import { SessionSetStageCommand } from './commands/session/set-stage.ts';
import { SessionSetStatusCommand } from './commands/session/set-status.ts';
import { SessionSwitchCommand } from './commands/session/switch.ts';
import { SessionTagCommand } from './commands/session/tag.ts';
import { SessionUntagCommand } from './commands/session/untag.ts';
import { SpawnCommand } from './commands/spawn.ts';
import { StatusCommand } from './commands/status.ts';
import { SyncPullCommand } from './commands/sync/pull.ts';
import { SyncPushCommand } from './commands/sync/push.ts';
import { SyncStatusCommand } from './commands/sync/status.ts';
import { ValidateCommand } from './commands/validate.ts';
import { type IdseContext, processContext } from './context.ts';

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
    SessionListCommand,
    SessionInfoCommand,
    SessionSwitchCommand,
    SessionSetStatusCommand,
    SessionCloseCommand,
    SessionArchiveCommand,
    SessionReopenCommand,
    SessionSetStageCommand,
    SessionSetOwnerCommand,
    SessionAddCollaboratorCommand,
    SessionRemoveCollaboratorCommand,
    SessionTagCommand,
    SessionUntagCommand,
    NextCommand,
    RouteCommand,
    AgentsInitCommand,
    AgentsListCommand,
    AgentsSetModeCommand,
    AgentsSetRoleCommand,
    AgentsInstallHooksCommand,
    AgentsGateCommand,
    BlueprintDeclareCommand,
    BlueprintPromoteCommand,
    BlueprintReinforceCommand,
    BlueprintDemoteCommand,
    BlueprintClaimsCommand,
    BlueprintVerifyCommand,
    BlueprintExtractCandidatesCommand,
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
    SyncPushCommand,
    SyncPullCommand,
    SyncStatusCommand,
    AgencyPublishCommand,
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
  return runCli(argv, processContext());
}
