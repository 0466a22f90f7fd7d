import { statementKey } from '../blueprint/claims.ts';
import { blueprintsOf } from '../blueprint/workspace.ts';
import { defineRule } from './rule.ts';
import { lineRange } from './sessions.ts';

export default defineRule({
  code: 'IDSE041',
  name: 'duplicate-blueprint-claim',
  description: 'A section of the project blueprint states each claim once.',
  article: 'V',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace }) {
    for (const { project, session, file, blueprint } of blueprintsOf(workspace)) {
      for (const section of blueprint.sections) {
        const first = new Map<string, number>();
        for (const statement of section.statements) {
          const key = statementKey(statement.text);
          const seen = first.get(key);
          if (seen === undefined) {
            first.set(key, statement.line);
            continue;
          }
          yield {
            file,
            range: lineRange(statement.line),
            project: project.name,
            session: session.name,
            message: `"${statement.text}" is stated again in ${section.title} (first on line ${seen})`,
            related: [{ file, range: lineRange(seen), message: 'first stated here' }],
          };
        }
      }
    }
  },
});
