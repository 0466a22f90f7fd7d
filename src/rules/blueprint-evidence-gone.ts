import { formatEvidence } from '../blueprint/claims.ts';
import { deadEvidence } from '../blueprint/evidence.ts';
import { blueprintsOf } from '../blueprint/workspace.ts';
import { defineRule } from './rule.ts';
import { lineRange } from './sessions.ts';

export default defineRule({
  code: 'IDSE042',
  name: 'blueprint-evidence-gone',
  description:
    'The evidence an active blueprint claim cites still exists: the session and a doc of the stage, with content.',
  article: 'IX',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace }) {
    for (const { project, session, file, claims } of blueprintsOf(workspace)) {
      for (const claim of claims) {
        if (claim.status !== 'active') continue;
        const sources = [...claim.evidence, ...claim.reinforcements.map((r) => r.source)];
        for (const evidence of sources) {
          const dead = deadEvidence(project, evidence);
          if (!dead) continue;
          yield {
            file,
            range: lineRange(claim.line),
            project: project.name,
            session: session.name,
            message: `blueprint claim #${claim.id} cites ${formatEvidence([evidence])}, but ${dead}`,
          };
        }
      }
    }
  },
});
