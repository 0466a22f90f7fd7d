import { docStarted, isClosed } from '../model/progress.ts';
import { type TaskEntry, traceOf } from '../model/trace.ts';
import type { TaskFact } from '../pipeline/facts.ts';
import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession, headRange } from './sessions.ts';

/** What keeps a task from being atomic and routable: no ID to cite, no owner, no way to check it. */
const FIELDS = [
  { name: 'ID', has: (t: TaskFact) => t.key !== undefined, missing: 'has no ID (e.g. "Task 1.2" or "T012")' },
  {
    name: 'owner',
    has: (t: TaskFact) => t.owner !== undefined,
    missing: 'has no owner (e.g. "(Owner: @claude)")',
  },
  {
    name: 'acceptance check',
    has: (t: TaskFact) => t.acceptance !== undefined,
    missing: 'has no acceptance check (e.g. "(Acceptance: FR-1 passes)")',
  },
] as const;

const selfDependent = (task: TaskFact): boolean =>
  task.key !== undefined && (task.deps ?? []).some((d) => d.kind === 'task' && d.key === task.key);

export default defineRule({
  code: 'IDSE020',
  name: 'task-shape',
  description: 'Each task has an ID, an owner and an acceptance check; the tasks doc has tasks.',
  article: 'VIII',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace, config }) {
    const recommended = config.profile === 'recommended';
    for (const { session, where } of forEachSession(workspace)) {
      const trace = traceOf(session, config);
      for (const doc of session.docs) {
        if (doc.kind !== 'tasks' || !docStarted(doc.facts) || doc.facts.tasks.length > 0) continue;
        yield {
          ...where,
          file: doc.path,
          range: headRange(doc.facts),
          message: 'tasks doc has no task items ("- [ ] Task 0.1 – …")',
        };
      }
      // Nested check items are sub-steps of their parent task, which carries the fields.
      const topLevel = trace.allTasks.filter((e) => e.task.parent === undefined);
      // A closed session's task list is its record: what it lacks is worth knowing, no more.
      const historical = recommended && isClosed(session) ? { severity: 'info' as const } : {};
      for (const [path, entries] of Map.groupBy(topLevel, (e) => e.doc.path)) {
        for (const finding of (recommended ? againstConvention : everyTask)(entries))
          yield { ...where, file: path, ...finding, ...historical };
      }
    }
  },
});

type Shaped = { range: ReturnType<typeof toRange>; message: string; severity?: 'info' };

const joinOr = (words: readonly string[]): string =>
  words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;

/** Strict: every task needs every field. */
function everyTask(entries: readonly TaskEntry[]): Shaped[] {
  return entries.flatMap(({ task }) => {
    const problems: string[] = FIELDS.filter((f) => !f.has(task)).map((f) => f.missing);
    if (selfDependent(task)) problems.push('depends on itself');
    return problems.length
      ? [{ range: toRange(task.span), message: `${task.label ?? 'task'} ${problems.join(', ')}` }]
      : [];
  });
}

/**
 * Recommended: a field most of the doc's tasks carry is expected of the rest (a warning per task that
 * lacks it); a field the doc's tasks mostly leave out is its convention, noted once as info.
 */
function againstConvention(entries: readonly TaskEntry[]): Shaped[] {
  const usual = FIELDS.filter((f) => entries.filter((e) => f.has(e.task)).length * 2 >= entries.length);
  const unusual = FIELDS.filter((f) => !usual.includes(f));
  const found: Shaped[] = [];
  if (unusual.length > 0) {
    found.push({
      range: toRange(entries[0]!.task.span),
      severity: 'info',
      message: `most of these ${entries.length} tasks have no ${joinOr(unusual.map((f) => f.name))} (the task format asks for ${unusual.length === 1 ? 'it' : 'each'})`,
    });
  }
  for (const { task } of entries) {
    const problems: string[] = usual.filter((f) => !f.has(task)).map((f) => f.missing);
    if (selfDependent(task)) problems.push('depends on itself');
    if (problems.length)
      found.push({ range: toRange(task.span), message: `${task.label ?? 'task'} ${problems.join(', ')}` });
  }
  return found;
}
