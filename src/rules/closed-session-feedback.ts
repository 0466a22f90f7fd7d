import { docStarted, docsOfKind, isClosed, sessionStatus } from '../model/progress.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE021',
  name: 'closed-session-feedback',
  description: 'A session marked complete or archived has feedback with content.',
  article: 'IX',
  defaultSeverity: 'error',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      if (!isClosed(session)) continue;
      if (docsOfKind(session, 'feedback').some((d) => docStarted(d.facts))) continue;
      const metadata = session.dataFiles.get('session.json')?.path ?? session.dir;
      yield {
        ...where,
        file: metadata,
        message: `session is '${sessionStatus(session)}' but its feedback is missing or empty`,
      };
    }
  },
});
