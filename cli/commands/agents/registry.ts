import { Option } from 'clipanion';
import { agentNamer } from '../../../src/agents/names.ts';
import {
  DEFAULT_REGISTRY,
  REGISTRY_FILE,
  type Registry,
  readRegistry,
  renderRegistry,
  updateAgent,
} from '../../../src/agents/registry.ts';
import { defaultConfig } from '../../../src/config/schema.ts';
import { IdseError } from '../../../src/errors.ts';
import type { ProjectModel } from '../../../src/model/model.ts';
import { writeFilesAtomically } from '../../../src/scaffold/write.ts';
import { ProjectCommand } from '../../project.ts';

/** A project's registry as it stands: the file's, or upstream's defaults when there is none yet. */
function registryOf(project: ProjectModel): { registry: Registry; file: string; exists: boolean } {
  const file = `${project.dir}/${REGISTRY_FILE}`;
  const data = project.dataFiles.get(REGISTRY_FILE);
  if (!data) return { registry: DEFAULT_REGISTRY, file, exists: false };
  const read = readRegistry(data.text);
  if ('problem' in read)
    throw new IdseError('usage', read.problem, { file, ...(read.line ? { line: read.line } : {}) });
  return { registry: read.registry, file, exists: true };
}

export abstract class RegistryCommand extends ProjectCommand {
  protected async load() {
    const { loaded, project } = await this.loadProject();
    return { root: loaded.root, project, ...registryOf(project) };
  }
}

export abstract class RegistryChangeCommand extends RegistryCommand {
  agent = Option.String({ name: 'agent' });

  /** Apply one change to the agent (added when the registry lacks it) and write the file atomically. */
  protected async change(field: 'mode' | 'role', value: string): Promise<number> {
    const { root, registry, file } = await this.load();
    // `claude` finds `claude-code`: the registry's name for the agent wins.
    const id = agentNamer(defaultConfig(), registry)(this.agent) ?? this.agent.replace(/^@/, '');
    const known = registry.agents.some((a) => a.id === id);
    const base = known ? registry : { ...registry, agents: [...registry.agents, { id }] };
    const before = registry.agents.find((a) => a.id === id)?.[field];
    const next = updateAgent(base, id, { [field]: value });
    if (known && before === value) {
      this.print(
        this.json
          ? JSON.stringify({ agent: id, [field]: value, changed: false })
          : `${id} ${field} is already ${value}`,
      );
      return 0;
    }
    writeFilesAtomically(root, new Map([[file, renderRegistry(next)]]), { force: true });
    this.print(
      this.json
        ? JSON.stringify({ agent: id, [field]: value, changed: true, added: !known, file })
        : `${known ? 'updated' : 'added'} ${id}: ${field} ${before ?? '—'} → ${value} (${file})`,
    );
    return 0;
  }
}
