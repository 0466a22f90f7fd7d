import { parseCurrentSession } from '../model/current-session.ts';
import { defineRule } from './rule.ts';

export default defineRule({
  code: 'IDSE005',
  name: 'current-session',
  description: 'CURRENT_SESSION names a session that exists in the project.',
  article: 'X',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const project of workspace.projects) {
      const file = project.dataFiles.get('CURRENT_SESSION');
      if (!file) continue;
      const current = parseCurrentSession(file.text);
      const range = { start: { line: current.line, column: 1 }, end: { line: current.line, column: 1 } };
      if (!current.session) {
        yield {
          file: file.path,
          range,
          project: project.name,
          message: 'CURRENT_SESSION is empty; write the active session’s name',
        };
      } else if (!project.sessions.some((s) => s.name === current.session)) {
        const known = project.sessions.map((s) => s.name).join(', ') || 'none';
        yield {
          file: file.path,
          range,
          project: project.name,
          message: `CURRENT_SESSION names '${current.session}', which is not a session of ${project.name} (sessions: ${known})`,
        };
      }
    }
  },
});
