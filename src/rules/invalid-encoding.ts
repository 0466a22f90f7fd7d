import { defineRule } from './rule.ts';

export default defineRule({
  code: 'IDSE002',
  name: 'invalid-encoding',
  description: 'A pipeline doc is binary or not valid UTF-8 text.',
  article: 'VI',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const { path, problem } of workspace.problems) {
      if (problem.kind === 'binary')
        yield { file: path, message: 'file is binary (contains NUL bytes); expected UTF-8 markdown' };
      if (problem.kind === 'invalid-utf8') {
        yield {
          file: path,
          message: 'file is not valid UTF-8; re-save it as UTF-8',
          ...(problem.range ? { range: problem.range } : {}),
        };
      }
    }
  },
});
