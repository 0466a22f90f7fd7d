import { traceOf } from '../model/trace.ts';
import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE011',
  name: 'duplicate-id',
  description: 'Each requirement and task ID is defined once per session.',
  article: 'VIII',
  defaultSeverity: 'error',
  *check({ workspace, config }) {
    for (const { session, where } of forEachSession(workspace)) {
      const trace = traceOf(session, config);
      for (const [key, defs] of trace.requirements) {
        const [first, ...rest] = defs;
        for (const dup of rest) {
          yield {
            ...where,
            file: dup.doc.path,
            range: toRange(dup.fact.span),
            message: `${key} is defined more than once`,
            related: [
              {
                file: first!.doc.path,
                range: toRange(first!.fact.span),
                message: `${key} first defined here`,
              },
            ],
          };
        }
      }
      for (const [key, entries] of trace.tasks) {
        // A nested sub-item repeating its parent's ID is a detail line, not a second task.
        const [first, ...rest] = entries.filter((e) => e.task.parent === undefined);
        for (const dup of rest) {
          yield {
            ...where,
            file: dup.doc.path,
            range: toRange(dup.task.span),
            message: `task ${dup.task.label ?? key} is defined more than once`,
            related: [
              { file: first!.doc.path, range: toRange(first!.task.span), message: 'first defined here' },
            ],
          };
        }
      }
    }
  },
});
