import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE033',
  name: 'misplaced-session',
  description:
    'Session folders sit under `projects/<project>/sessions/`, not directly in the project folder.',
  article: 'X',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      for (const [folder, files] of session.misplaced) {
        const held = files.map((f) => f.slice(folder.length + 1));
        const shown = held.length > 3 ? `${held.slice(0, 3).join(', ')}, …` : held.join(', ');
        yield {
          ...where,
          file: folder,
          message: `session folder outside sessions/ (it holds ${shown}); move it to ${session.dir}`,
        };
      }
    }
  },
});
