import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE004',
  name: 'layout',
  description: 'Docs sit where the canonical IDSE layout expects them.',
  article: 'X',
  defaultSeverity: 'warning',
  *check({ workspace, config }) {
    for (const { session, where } of forEachSession(workspace)) {
      for (const path of session.strayDocs) {
        yield {
          ...where,
          file: path,
          message:
            'markdown file outside any stage folder; move it under intents/, contexts/, specs/, plans/, tasks/, implementation/, feedback/ or metadata/',
        };
      }
      const first = session.docs[0];
      if (!first) continue;
      if (session.layout === 'stage-rooted') {
        yield {
          ...where,
          file: first.path,
          severity: 'info',
          message: `legacy stage-rooted layout; move session docs to projects/${session.project}/sessions/${session.name}/<stage folder>/`,
        };
      } else if (config.layout !== 'auto' && session.layout !== config.layout) {
        yield {
          ...where,
          file: first.path,
          message: `session uses the ${session.layout} layout but the config pins layout: ${config.layout}`,
        };
      }
    }
  },
});
