import type { LimitBreach } from '../pipeline/limits.ts';
import { defineRule } from './rule.ts';

const SHAPES: Record<Exclude<LimitBreach['limit'], 'parseMs' | 'memory'>, string> = {
  maxLines: 'lines',
  maxNesting: 'levels of nested block quotes and lists',
  maxTableCells: 'cells in one table',
  maxInlineMarks: 'emphasis and link marks in one paragraph',
  maxSetextHeadings: 'headings underlined with === or ---',
  maxItems: 'IDs, tasks, links, markers and headings',
};

function describe({ limit, actual, max }: LimitBreach): string {
  if (limit === 'parseMs') return `doc took longer than ${max} ms to parse (limits.parseMs); not validated`;
  if (limit === 'memory') return `parsing the doc needed more than ${max} MB of memory; not validated`;
  return `doc has ${actual} ${SHAPES[limit]}, more than limits.${limit} (${max}); not validated`;
}

export default defineRule({
  code: 'IDSE028',
  name: 'doc-too-complex',
  description: 'A doc is past a parsing limit (size, nesting, tables, time), so nothing in it was checked.',
  article: 'VI',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const { path, problem } of workspace.problems) {
      if (problem.kind === 'too-complex') yield { file: path, message: describe(problem) };
    }
  },
});
