import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE004',
  name: 'layout',
  description: 'Docs sit where the canonical IDSE layout expects them.',
  article: 'X',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace, config }) {
    // A README or closeout note at a session's root is common upstream practice: worth knowing, no more.
    const stray = config.profile === 'recommended' ? { severity: 'info' as const } : {};
    for (const { session, where } of forEachSession(workspace)) {
      for (const path of session.strayDocs) {
        yield {
          ...where,
          file: path,
          ...stray,
          message:
            'markdown file outside any stage folder; move it under intents/, contexts/, specs/, plans/, tasks/, implementation/, feedback/ or metadata/',
        };
      }
      const first = session.docs[0];
      if (!first) continue;
      // Docs found only at a legacy path are validated there; their canonical copies win when both exist.
      const legacy = session.docs.find((d) => d.layout === 'stage-rooted');
      if (legacy) {
        yield {
          ...where,
          file: legacy.path,
          severity: 'info',
          message: `legacy stage-rooted layout; move session docs to projects/${session.project}/sessions/${session.name}/<stage folder>/`,
        };
      } else if (
        config.layout !== 'auto' &&
        session.layout !== config.layout &&
        session.layout !== 'misplaced'
      ) {
        yield {
          ...where,
          file: first.path,
          message: `session uses the ${session.layout} layout but the config pins layout: ${config.layout}`,
        };
      }
    }
  },
});
