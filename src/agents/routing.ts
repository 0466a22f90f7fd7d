import type { Config } from '../config/schema.ts';
import { parseCurrentSession } from '../model/current-session.ts';
import type { SessionModel, Workspace } from '../model/model.ts';
import { type TaskEntry, type Trace, tasksInRange, traceOf } from '../model/trace.ts';
import type { TaskFact } from '../pipeline/facts.ts';
import { agentNamer, normalName } from './names.ts';
import { parseRegistry, REGISTRY_FILE, type Registry } from './registry.ts';

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

/** `#api`-style tags in a task's text. */
export const tagsOf = (task: TaskFact): string[] =>
  [...task.text.matchAll(/(?:^|\s)#([\w-]+)/g)].map((m) => m[1]!.toLowerCase());

/**
 * Who takes a task: its owner when that names an agent (declared, in the registry, or one of the
 * known IDE agents), else the first matching route, else the agent the project's registry gives
 * the implementation stage, else the default. An `@name` owner nobody knows still routes to "name".
 */
export function routeTask(
  task: TaskFact,
  config: Config,
  registry?: Registry,
  nameOf = agentNamer(config, registry),
): { agent?: string; reason: RouteReason } {
  const owner = task.owner ? normalName(task.owner) : undefined;
  const named = owner ? nameOf(owner) : undefined;
  if (named) return { agent: named, reason: 'owner' };
  if (task.owner?.trim().startsWith('@')) return { agent: owner!, reason: 'owner' };
  const tags = tagsOf(task);
  for (const route of config.routes) {
    const { when } = route;
    if (when.owner !== undefined && normalName(when.owner) !== owner) continue;
    if (when.tag !== undefined && !tags.includes(normalName(when.tag))) continue;
    if (when.phase !== undefined && !(task.phase ?? '').toLowerCase().includes(when.phase.toLowerCase()))
      continue;
    if (when.parallel !== undefined && when.parallel !== task.parallel) continue;
    return { agent: route.agent, reason: 'route' };
  }
  const implementer = registry?.agents.find((a) => a.stages?.includes('implementation'))?.id;
  if (implementer) return { agent: nameOf(implementer) ?? implementer, reason: 'registry' };
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
  const nameOf = agentNamer(config, registry);
  return all.map((entry) => {
    const { task, doc } = entry;
    const routed = routeTask(task, config, registry, nameOf);
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
    const registry = parseRegistry(project.dataFiles.get(REGISTRY_FILE)?.text);
    const current = project.dataFiles.get('CURRENT_SESSION');
    const currentName = current ? parseCurrentSession(current.text).session : undefined;
    const sessions = project.sessions.filter((s) =>
      scope.session ? s.name === scope.session : scope.allSessions || !currentName || s.name === currentName,
    );
    return sessions.flatMap((s) => routeSession(s, config, registry));
  });
}

/**
 * Whether a task is routed to the agent a user asked about, by any of its names: `claude` finds
 * tasks a project's registry routes to `claude-code`.
 */
export function routedTo(config: Config): (task: RoutedTask, wanted: string) => boolean {
  const nameOf = agentNamer(config);
  const canonical = (name: string) => nameOf(name) ?? normalName(name);
  return (task, wanted) => task.agent !== undefined && canonical(task.agent) === canonical(wanted);
}
