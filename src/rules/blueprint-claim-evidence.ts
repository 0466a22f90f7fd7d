import { blueprintsOf } from '../blueprint/workspace.ts';
import { defineRule } from './rule.ts';
import { lineRange } from './sessions.ts';

export default defineRule({
  code: 'IDSE040',
  name: 'blueprint-claim-without-evidence',
  description: 'Every active claim of the project blueprint cites the session docs it was promoted from.',
  article: 'IX',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace }) {
    for (const { project, session, file, claims } of blueprintsOf(workspace)) {
      for (const claim of claims) {
        if (claim.status !== 'active' || claim.evidence.length || claim.reinforcements.length) continue;
        yield {
          file,
          range: lineRange(claim.line),
          project: project.name,
          session: session.name,
          message: `blueprint claim #${claim.id} cites no evidence: add \`- Evidence: session:stage, …\` under it (\`idse blueprint reinforce\`), or demote it`,
        };
      }
    }
  },
});
