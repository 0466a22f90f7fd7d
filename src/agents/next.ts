import type { Config } from '../config/schema.ts';
import type { Workspace } from '../model/model.ts';
import { isClosed } from '../model/progress.ts';
import { isPlaceholderTask } from '../sessions/tasks.ts';
import { type RoutedTask, routedTo, routeWorkspace } from './routing.ts';

export interface NextScope {
  agent?: string | undefined;
  session?: string | undefined;
  allSessions?: boolean | undefined;
  limit: number;
}

/**
 * The tasks an agent can start now: open, every dependency done, routed to it (any agent when none is
 * named; by any of its names). Complete and archived sessions offer none, and neither do template lines nobody can start.
 */
export function nextTasks(workspace: Workspace, config: Config, scope: NextScope): RoutedTask[] {
  const closed = new Set(
    workspace.projects.flatMap((p) => p.sessions.filter(isClosed).map((s) => `${p.name}\0${s.name}`)),
  );
  const isFor = routedTo(config);
  return routeWorkspace(workspace, config, {
    ...(scope.session ? { session: scope.session } : {}),
    ...(scope.allSessions ? { allSessions: true } : {}),
  })
    .filter(
      (t) =>
        t.ready &&
        !closed.has(`${t.project}\0${t.session}`) &&
        !isPlaceholderTask(t.text) &&
        (!scope.agent || isFor(t, scope.agent)),
    )
    .slice(0, scope.limit);
}
