import { metadataPlace, readRecord } from '../sessions/record.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE035',
  name: 'parent-session-missing',
  description: 'A session’s parent_session names a session of the same project.',
  article: 'X',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace }) {
    for (const { project, session, where } of forEachSession(workspace)) {
      const { parent } = readRecord(session);
      if (parent === undefined || project.sessions.some((s) => s.name === parent)) continue;
      yield {
        ...where,
        ...metadataPlace(session, 'parent_session'),
        message: `parent session '${parent}' does not exist in ${project.name}`,
      };
    }
  },
});
