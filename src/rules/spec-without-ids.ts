import { docStarted, docsOfKind, isBlueprint } from '../model/progress.ts';
import { traceOf } from '../model/trace.ts';
import { defineRule } from './rule.ts';
import { forEachSession, headRange } from './sessions.ts';

export default defineRule({
  code: 'IDSE034',
  name: 'spec-without-ids',
  description:
    'Once tasks exist, the spec names its requirements with IDs (FR-1, AC-1), so tasks and tests can be traced to them.',
  article: 'VIII',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace, config }) {
    const recommended = config.profile === 'recommended';
    for (const { session, where } of forEachSession(workspace)) {
      const trace = traceOf(session, config);
      if (trace.requirements.size > 0 || trace.allTasks.length === 0) continue;
      const spec = docsOfKind(session, 'spec').find((d) => docStarted(d.facts));
      if (!spec) continue;
      const tasks = trace.allTasks.filter((t) => t.task.parent === undefined).length;
      yield {
        ...where,
        file: spec.path,
        range: headRange(spec.facts),
        // The blueprint's tasks are epics that spawn feature sessions, not work traced to its spec.
        ...(recommended && isBlueprint(session) ? { severity: 'info' as const } : {}),
        message: `the spec defines no requirement IDs (e.g. "FR-1: …"), so its ${tasks} ${tasks === 1 ? 'task' : 'tasks'} cannot be traced to it`,
      };
    }
  },
});
