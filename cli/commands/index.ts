import type { CommandClass } from 'clipanion';
import type { IdseContext } from '../context.ts';

type Commands = Array<CommandClass<IdseContext>>;
type Module = () => Promise<Record<string, unknown>>;

/** What a command module exports that clipanion runs: classes with paths of their own (not bases). */
const commandsOf = (module: Record<string, unknown>): Commands =>
  Object.values(module).filter(
    (value): value is CommandClass<IdseContext> =>
      typeof value === 'function' && Object.hasOwn(value, 'paths'),
  );

const group =
  (...modules: Module[]) =>
  async (): Promise<Commands> =>
    (await Promise.all(modules.map((load) => load()))).flatMap(commandsOf);

/**
 * The commands by the first word (or two) of their paths, each loaded only when a line names it: a
 * run of `idse validate` compiles the engine, not the MCP SDK, isomorphic-git or the store clients.
 * Order is the order of `idse --help`.
 */
export const COMMANDS: Readonly<Record<string, () => Promise<Commands>>> = {
  init: group(() => import('./init.ts')),
  validate: group(() => import('./validate.ts')),
  status: group(() => import('./status.ts')),
  rules: group(() => import('./rules.ts')),
  report: group(() => import('./report.ts')),
  doctor: group(() => import('./doctor.ts')),
  session: group(
    () => import('./session/new.ts'),
    () => import('./session/list.ts'),
    () => import('./session/info.ts'),
    () => import('./session/switch.ts'),
    () => import('./session/set-status.ts'),
    () => import('./session/close.ts'),
    () => import('./session/archive.ts'),
    () => import('./session/reopen.ts'),
    () => import('./session/set-stage.ts'),
    () => import('./session/set-owner.ts'),
    () => import('./session/add-collaborator.ts'),
    () => import('./session/remove-collaborator.ts'),
    () => import('./session/tag.ts'),
    () => import('./session/untag.ts'),
  ),
  sessions: group(() => import('./session/list.ts')),
  'session-info': group(() => import('./session/info.ts')),
  spawn: group(() => import('./spawn.ts')),
  next: group(() => import('./next.ts')),
  route: group(() => import('./route.ts')),
  agents: group(
    () => import('./agents/init.ts'),
    () => import('./agents/list.ts'),
    () => import('./agents/set-mode.ts'),
    () => import('./agents/set-role.ts'),
    () => import('./agents/install-hooks.ts'),
    () => import('./agents/gate.ts'),
  ),
  // Claude Code's hook runs this before every tool call: it loads nothing else.
  'agents gate': group(() => import('./agents/gate.ts')),
  blueprint: group(
    () => import('./blueprint/declare.ts'),
    () => import('./blueprint/promote.ts'),
    () => import('./blueprint/reinforce.ts'),
    () => import('./blueprint/demote.ts'),
    () => import('./blueprint/claims.ts'),
    () => import('./blueprint/verify.ts'),
    () => import('./blueprint/extract-candidates.ts'),
  ),
  compile: group(() => import('./compile/agent-spec.ts')),
  export: group(() => import('./export.ts')),
  query: group(() => import('./query.ts')),
  mcp: group(() => import('./mcp.ts')),
  handoff: group(() => import('./handoff.ts')),
  design: group(
    () => import('./design/check.ts'),
    () => import('./design/export.ts'),
  ),
  app: group(() => import('./app.ts')),
  agency: group(
    () => import('./agency/clients.ts'),
    () => import('./agency/keys.ts'),
    () => import('./agency/publish.ts'),
    () => import('./agency/projects.ts'),
    () => import('./agency/sessions.ts'),
    () => import('./agency/archive.ts'),
    () => import('./agency/report.ts'),
  ),
  sync: group(
    () => import('./sync/push.ts'),
    () => import('./sync/pull.ts'),
    () => import('./sync/status.ts'),
  ),
};

/** The commands a line names by its first words; undefined when it names none (help, a path, a typo). */
export function commandsNamedBy(argv: readonly string[]): (() => Promise<Commands>) | undefined {
  const [first, second] = argv;
  const named = (key: string) => (Object.hasOwn(COMMANDS, key) ? COMMANDS[key] : undefined);
  return (second !== undefined ? named(`${first} ${second}`) : undefined) ?? named(first ?? '');
}

/** Every command once, in help order. */
export async function allCommands(): Promise<Commands> {
  const groups = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  return [...new Set(groups.flat())];
}
