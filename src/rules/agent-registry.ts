import { REGISTRY_FILE, readRegistry } from '../agents/registry.ts';
import { defineRule } from './rule.ts';
import { lineRange } from './sessions.ts';

export default defineRule({
  code: 'IDSE043',
  name: 'agent-registry',
  description:
    'A project’s agent_registry.json is valid: each agent has an id, a known mode and known stages.',
  article: 'VI',
  defaultSeverity: 'error',
  strictSeverity: 'error',
  *check({ workspace }) {
    for (const project of workspace.projects) {
      const file = project.dataFiles.get(REGISTRY_FILE);
      if (!file) continue;
      const read = readRegistry(file.text);
      if (!('problem' in read)) continue;
      yield {
        file: file.path,
        project: project.name,
        ...(read.line ? { range: lineRange(read.line) } : {}),
        message: `${REGISTRY_FILE}: ${read.problem}; routing and the agents gate cannot use it`,
      };
    }
  },
});
