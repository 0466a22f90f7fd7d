import { type TaskEntry, traceOf } from '../model/trace.ts';
import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

/** `Task 1.2`, or the first words of a task without an ID: `"Clean up the feature…"`. */
const nameOf = ({ task }: TaskEntry): string => {
  if (task.label) return task.label;
  const words = task.text.split(' ');
  return `"${words.slice(0, 4).join(' ')}${words.length > 4 ? '…' : ''}"`;
};

const listLabels = (entries: readonly TaskEntry[]): string => {
  const labels = entries.map(nameOf);
  return labels.length > 4 ? `${labels.slice(0, 4).join(', ')}, …` : labels.join(', ');
};

export default defineRule({
  code: 'IDSE014',
  name: 'task-without-requirement',
  description: 'Every task cites the requirement or acceptance criterion it serves.',
  article: 'VIII',
  defaultSeverity: 'info',
  strictSeverity: 'error',
  *check({ workspace, config }) {
    const families = new Set(config.ids.requirements);
    const recommended = config.profile === 'recommended';
    for (const { session, where } of forEachSession(workspace)) {
      const trace = traceOf(session, config);
      // Only meaningful once the spec defines requirements to cite.
      if (trace.requirements.size === 0) continue;
      const citing = new Set<string>();
      for (const doc of session.docs) {
        for (const fact of doc.facts.ids) {
          if (fact.task !== undefined && families.has(fact.family)) citing.add(`${doc.path}#${fact.task}`);
        }
      }
      const uncited = trace.allTasks.filter(
        ({ doc, task, index }) => task.parent === undefined && !citing.has(`${doc.path}#${index}`),
      );
      if (!recommended) {
        for (const { doc, task } of uncited) {
          yield {
            ...where,
            file: doc.path,
            range: toRange(task.span),
            message: `${task.label ?? 'task'} cites no requirement (e.g. "(Acceptance: FR-1)")`,
          };
        }
        continue;
      }
      // Recommended: tasks implemented without citations are common upstream practice; one note per
      // doc, and none when no task cites anything (requirement-without-task says that once).
      if (citing.size === 0) continue;
      for (const [path, entries] of Map.groupBy(uncited, (e) => e.doc.path)) {
        const all = trace.allTasks.filter((e) => e.doc.path === path && e.task.parent === undefined).length;
        yield {
          ...where,
          file: path,
          range: toRange(entries[0]!.task.span),
          message: `${entries.length} of ${all} tasks cite no requirement (${listLabels(entries)})`,
        };
      }
    }
  },
});
