import { classifyPath } from '../model/layout.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE024',
  name: 'session-boundary',
  description: 'One change edits the docs of at most `boundary.maxSessions` sessions.',
  article: 'X',
  defaultSeverity: 'warning',
  *check({ workspace, config, changed }) {
    if (!changed) return;
    // Sessions are found from the changed paths themselves, so a deleted doc still counts.
    const dirs = new Set<string>();
    for (const path of changed) {
      const role = classifyPath(path);
      if (role.role === 'doc' || role.role === 'stray-doc') dirs.add(role.sessionDir);
    }
    const touched: { label: string; file: string }[] = [];
    for (const { session } of forEachSession(workspace)) {
      if (!dirs.has(session.dir)) continue;
      const file = session.docs.find((d) => changed.has(d.path))?.path ?? session.dir;
      touched.push({ label: `${session.project}/${session.name}`, file });
    }
    if (touched.length <= config.boundary.maxSessions) return;
    const list = touched.map((t) => t.label).join(', ');
    for (const { file } of touched) {
      yield {
        file,
        message: `this change edits ${touched.length} sessions (${list}); keep a change to ${config.boundary.maxSessions}`,
      };
    }
  },
});
