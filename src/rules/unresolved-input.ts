import { aheadOfFront, docStarted, workFront } from '../model/progress.ts';
import { toRange } from '../pipeline/facts.ts';
import { stageOfKind } from '../pipeline/stages.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE010',
  name: 'unresolved-input',
  description:
    'No `[REQUIRES INPUT]` is left in the stage being worked on or any before it; later stages only warn.',
  article: 'III',
  defaultSeverity: 'error',
  *check({ workspace, config }) {
    const recommended = config.profile === 'recommended';
    for (const { session, where } of forEachSession(workspace)) {
      const front = workFront(session);
      for (const doc of session.docs) {
        const stage = stageOfKind(doc.kind);
        // Scaffolding of stages not begun yet is expected to hold markers.
        const ahead = aheadOfFront(session, doc.kind);
        // Recommended: a template waiting its turn, or one left behind (doc-not-started reports that
        // once), is not dozens of marker findings. The work front's own doc always counts.
        if (recommended && stage !== undefined && stage !== front && !docStarted(doc.facts)) continue;
        for (const marker of doc.facts.markers) {
          yield {
            ...where,
            file: doc.path,
            range: toRange(marker),
            ...(ahead ? { severity: 'warning' as const } : {}),
            message: ahead
              ? `unresolved input in a stage not started yet (${doc.kind})`
              : `unresolved input: resolve this marker before moving past the ${doc.kind} stage`,
          };
        }
      }
    }
  },
});
