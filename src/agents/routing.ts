import type { Config } from '../config/schema.ts';
import type { TaskFact } from '../pipeline/facts.ts';
import { parseCurrentSession } from '../workspace/current-session.ts';
import type { SessionModel, Workspace } from '../workspace/model.ts';
import { type TaskEntry, type Trace, tasksInRange, traceOf } from '../workspace/trace.ts';

/** Where an assignment came from, so `idse route` can explain itself. */
export type RouteReason = 'owner' | 'route' | 'registry' | 'default' | 'none';

export interface RoutedTask {
  project: string;
  session: string;
  file: string;
  line: number;
  label?: string;
  key?: string;
  text: string;
  owner?: string;
  phase?: string;
  parallel: boolean;
  done: boolean;
  /** All its dependencies are done. */
  ready: boolean;
  agent?: string;
  reason: RouteReason;
}

const normal = (name: string): string => name.trim().replace(/^@/, '').toLowerCase();

/** Upstream `agent_registry.json`: agents with the stages they own. */
interface Registry {
  agents?: { id?: string; stages?: string[] }[];
}

/** `#api`-style tags in a task's text. */
export const tagsOf = (task: TaskFact): string[] =>
  [...task.text.matchAll(/(?:^|\s)#([\w-]+)/g)].map((m) => m[1]!.toLowerCase());

/**
 * Who takes a task: its owner when that names a known agent (or alias), else the first matching
 * route, else the agent the project's registry gives the implementation stage, else the default.
 * Owners nobody declared are kept as they are: `@codex` still routes to "codex".
 */
export function routeTask(
  task: TaskFact,
  config: Config,
  registry?: Registry,
): { agent?: string; reason: RouteReason } {
  const names = new Map<string, string>();
  for (const [agent, { aliases }] of Object.entries(config.agents)) {
    names.set(normal(agent), agent);
    for (const alias of aliases) names.set(normal(alias), agent);
  }
  const owner = task.owner ? normal(task.owner) : undefined;
  if (owner && names.has(owner)) return { agent: names.get(owner)!, reason: 'owner' };
  if (task.owner?.trim().startsWith('@')) return { agent: owner!, reason: 'owner' };
  const tags = tagsOf(task);
  for (const route of config.routes) {
    const { when } = route;
    if (when.owner !== undefined && normal(when.owner) !== owner) continue;
    if (when.tag !== undefined && !tags.includes(normal(when.tag))) continue;
    if (when.phase !== undefined && !(task.phase ?? '').toLowerCase().includes(when.phase.toLowerCase()))
      continue;
    if (when.parallel !== undefined && when.parallel !== task.parallel) continue;
    return { agent: route.agent, reason: 'route' };
  }
  const implementer = registry?.agents?.find((a) => a.stages?.includes('implementation'))?.id;
  if (implementer) return { agent: names.get(normal(implementer)) ?? implementer, reason: 'registry' };
  if (config.defaultAgent) return { agent: config.defaultAgent, reason: 'default' };
  return { reason: 'none' };
}

function depsDone(entry: TaskEntry, trace: Trace, all: TaskEntry[]): boolean {
  return (entry.task.deps ?? []).every((dep) => {
    const keys =
      dep.kind === 'task'
        ? [dep.key]
        : dep.kind === 'range'
          ? tasksInRange(trace, dep.from, dep.to)
          : all
              .filter((t) => new RegExp(`\\bPhase\\s+${dep.phase}\\b`, 'i').test(t.task.phase ?? ''))
              .map((t) => t.task.key ?? '');
    // An unknown dependency is reported by IDSE016; it doesn't block routing.
    return keys.every((key) => (trace.tasks.get(key) ?? []).every((t) => t.task.checked));
  });
}

/** Every top-level task of a session with its agent and whether it can start. */
export function routeSession(session: SessionModel, config: Config, registry?: Registry): RoutedTask[] {
  const trace = traceOf(session, config);
  const all = trace.allTasks.filter((t) => t.task.parent === undefined);
  return all.map((entry) => {
    const { task, doc } = entry;
    const routed = routeTask(task, config, registry);
    return {
      project: session.project,
      session: session.name,
      file: doc.path,
      line: task.span[0],
      ...(task.label ? { label: task.label } : {}),
      ...(task.key ? { key: task.key } : {}),
      text: task.text,
      ...(task.owner ? { owner: task.owner } : {}),
      ...(task.phase ? { phase: task.phase } : {}),
      parallel: task.parallel,
      done: task.checked,
      ready: !task.checked && depsDone(entry, trace, all),
      ...(routed.agent ? { agent: routed.agent } : {}),
      reason: routed.reason,
    };
  });
}

export function parseRegistry(text: string | undefined): Registry | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Registry;
  } catch {
    return undefined;
  }
}

/**
 * Tasks across the workspace: by default only each project's current session (CURRENT_SESSION),
 * or every session, or one named session.
 */
export function routeWorkspace(
  workspace: Workspace,
  config: Config,
  scope: { session?: string; allSessions?: boolean } = {},
): RoutedTask[] {
  return workspace.projects.flatMap((project) => {
    const registry = parseRegistry(project.dataFiles.get('agent_registry.json')?.text);
    const current = project.dataFiles.get('CURRENT_SESSION');
    const currentName = current ? parseCurrentSession(current.text).session : undefined;
    const sessions = project.sessions.filter((s) =>
      scope.session ? s.name === scope.session : scope.allSessions || !currentName || s.name === currentName,
    );
    return sessions.flatMap((s) => routeSession(s, config, registry));
  });
}
