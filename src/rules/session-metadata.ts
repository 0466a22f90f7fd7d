import type { z } from 'zod';
import { MetaFrontMatterSchema, SessionJsonSchema, SessionStateSchema } from '../model/metadata.ts';
import type { DataFile } from '../model/model.ts';
import { primaryDoc } from '../model/progress.ts';
import { toRange } from '../pipeline/facts.ts';
import { describeIssues } from '../zod-issues.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

function checkJson(file: DataFile, schema: z.ZodType): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
  const result = schema.safeParse(data);
  return result.success ? undefined : describeIssues(result.error, 3);
}

export default defineRule({
  code: 'IDSE006',
  name: 'session-metadata',
  description:
    'Session metadata (session.json, session_state.json, meta.md front matter) matches its schema.',
  article: 'VI',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const project of workspace.projects) {
      const state = project.dataFiles.get('session_state.json');
      const problem = state && checkJson(state, SessionStateSchema);
      if (state && problem)
        yield { file: state.path, project: project.name, message: `session_state.json: ${problem}` };
    }
    for (const { session, where } of forEachSession(workspace)) {
      for (const [name, schema] of [
        ['session.json', SessionJsonSchema],
        ['session_state.json', SessionStateSchema],
      ] as const) {
        const file = session.dataFiles.get(name);
        const problem = file && checkJson(file, schema);
        if (file && problem) yield { ...where, file: file.path, message: `${name}: ${problem}` };
      }
      const meta = primaryDoc(session, 'meta');
      const fm = meta?.facts.frontMatter;
      if (meta && fm && !fm.error) {
        const result = MetaFrontMatterSchema.safeParse(fm.data);
        if (!result.success) {
          yield {
            ...where,
            file: meta.path,
            range: toRange(fm.span),
            message: `front matter: ${describeIssues(result.error, 3)}`,
          };
        }
      }
    }
  },
});
