import type { FileProblem } from '../model/model.ts';
import { defineRule } from './rule.ts';

function describe(problem: FileProblem['problem']): string | undefined {
  switch (problem.kind) {
    case 'unreadable':
      return `cannot read file: ${problem.detail}`;
    case 'too-large':
      return `file is larger than ${problem.limit} bytes (maxFileBytes); not validated`;
    case 'symlink-loop':
      return 'symbolic link loops back on itself; not followed';
    case 'not-regular':
      return `${problem.detail}; not read`;
    case 'outside-workspace':
      return 'symbolic link leads outside the workspace; not read';
    default:
      return undefined;
  }
}

export default defineRule({
  code: 'IDSE001',
  name: 'file-unreadable',
  description: 'A pipeline file could not be read, so nothing in it was checked.',
  article: 'VI',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const { path, problem } of workspace.problems) {
      const message = describe(problem);
      if (message) yield { file: path, message };
    }
  },
});
