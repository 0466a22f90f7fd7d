import { lineageCycles } from '../sessions/lineage.ts';
import { metadataPlace, readRecord } from '../sessions/record.ts';
import { defineRule } from './rule.ts';

export default defineRule({
  code: 'IDSE036',
  name: 'lineage-cycle',
  description: 'Following parent_session from a session never comes back to it.',
  article: 'X',
  defaultSeverity: 'error',
  strictSeverity: 'error',
  *check({ workspace }) {
    for (const project of workspace.projects) {
      const records = new Map(project.sessions.map((s) => [s.name, readRecord(s)]));
      for (const cycle of lineageCycles(records)) {
        const loop = [...cycle, cycle[0]!].join(' → ');
        for (const id of cycle) {
          const session = project.sessions.find((s) => s.name === id)!;
          yield {
            project: project.name,
            session: id,
            ...metadataPlace(session, 'parent_session'),
            message: `lineage cycle: ${loop}; a session cannot descend from itself`,
          };
        }
      }
    }
  },
});
