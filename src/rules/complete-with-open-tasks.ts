import { toRange } from '../pipeline/facts.ts';
import { metadataPlace, readRecord } from '../sessions/record.ts';
import { openTasks } from '../sessions/tasks.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

/** Upstream's `complete` and the spellings other repos use for it; `archived` is abandoning, not finishing. */
const COMPLETE = new Set(['complete', 'completed', 'done', 'closed']);

export default defineRule({
  code: 'IDSE037',
  name: 'complete-with-open-tasks',
  description: 'A session marked complete has no open tasks, unless the close was forced and recorded.',
  article: 'VI',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace, config }) {
    for (const { session, where } of forEachSession(workspace)) {
      const record = readRecord(session);
      if (!COMPLETE.has(record.status ?? '') || record.override?.status === record.status) continue;
      const open = openTasks(session, config);
      if (open.length === 0) continue;
      const names = open.slice(0, 3).map(({ task }) => task.label ?? task.text.slice(0, 40));
      yield {
        ...where,
        ...metadataPlace(session, 'status'),
        message: `session is '${record.status}' but has ${open.length} open task${open.length === 1 ? '' : 's'} (${names.join(', ')}${open.length > 3 ? ', …' : ''})`,
        related: open.map(({ doc, task }) => ({
          file: doc.path,
          range: toRange(task.span),
          message: 'open task',
        })),
      };
    }
  },
});
