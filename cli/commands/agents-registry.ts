import { Command, Option } from 'clipanion';
import { agentNamer } from '../../src/agents/names.ts';
import {
  AGENT_MODES,
  type AgentMode,
  DEFAULT_REGISTRY,
  REGISTRY_FILE,
  type Registry,
  readRegistry,
  renderRegistry,
  updateAgent,
} from '../../src/agents/registry.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { IdseError } from '../../src/errors.ts';
import type { ProjectModel } from '../../src/model/model.ts';
import { loadWorkspace } from '../../src/run/load.ts';
import { writeFilesAtomically } from '../../src/scaffold/write.ts';
import { IdseCommand } from '../base.ts';
import { pickProject } from '../project.ts';
import { renderTable } from '../table.ts';

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

abstract class RegistryCommand extends IdseCommand {
  project = Option.String('-p,--project', { description: 'Project (default: the only one)' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  protected async load() {
    const loaded = await loadWorkspace({ cwd: this.context.cwd, env: this.context.env, root: this.root });
    const project = pickProject(loaded.workspace, this.project);
    return { root: loaded.root, project, ...registryOf(project) };
  }
}

export class AgentsListCommand extends RegistryCommand {
  static override paths = [['agents', 'list']];
  static override usage = Command.Usage({
    category: 'Agents',
    description: 'List the agents of a project’s `agent_registry.json` with their role, mode and stages.',
    details:
      'Without a registry the project has upstream’s defaults (claude-code orchestrates, gpt-codex implements, no modes); `set-mode` and `set-role` write the file.',
    examples: [['The registry', '$0 agents list']],
  });

  async run(): Promise<number> {
    const { project, registry, file, exists } = await this.load();
    if (this.json) {
      this.print(JSON.stringify({ project: project.name, file, exists, agents: registry.agents }, null, 2));
      return 0;
    }
    const rows = registry.agents.map((a) => [
      a.id,
      a.role ?? '—',
      a.mode ?? '—',
      (a.stages ?? []).join(', '),
    ]);
    this.print(renderTable(['agent', 'role', 'mode', 'stages'], rows));
    if (!exists) this.print(`(upstream defaults: ${file} does not exist yet)`);
    return 0;
  }
}

abstract class RegistryChangeCommand extends RegistryCommand {
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

export class AgentsSetModeCommand extends RegistryChangeCommand {
  static override paths = [['agents', 'set-mode']];
  static override usage = Command.Usage({
    category: 'Agents',
    description:
      'Set an agent’s mode: planning (session docs and read-only commands only) or implementation.',
    details:
      'The mode lives in `agent_registry.json` (upstream’s format) and is enforced by the Claude Code hook that `idse agents install-hooks` installs. An agent the registry lacks is added.',
    examples: [
      ['Claude Code plans', '$0 agents set-mode claude planning'],
      ['Codex implements', '$0 agents set-mode gpt-codex implementation'],
    ],
  });

  mode = Option.String({ name: 'mode' });

  async run(): Promise<number> {
    if (!(AGENT_MODES as readonly string[]).includes(this.mode))
      throw new IdseError('usage', `unknown mode '${this.mode}' (modes: ${AGENT_MODES.join(', ')})`);
    return this.change('mode', this.mode as AgentMode);
  }
}

export class AgentsSetRoleCommand extends RegistryChangeCommand {
  static override paths = [['agents', 'set-role']];
  static override usage = Command.Usage({
    category: 'Agents',
    description:
      'Set an agent’s role label in `agent_registry.json` (orchestrator, implementer, reviewer, …).',
    examples: [['Copilot reviews feedback', '$0 agents set-role copilot feedback-reviewer']],
  });

  role = Option.String({ name: 'role' });

  async run(): Promise<number> {
    if (!this.role.trim()) throw new IdseError('usage', 'a role cannot be empty');
    return this.change('role', this.role.trim());
  }
}
