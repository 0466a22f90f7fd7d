/**
 * What the Claude Code gate knows about a workspace, read for each tool call: the agent's mode in
 * the projects' `agent_registry.json` and which sessions are closed. It builds the same workspace
 * model every command sees (config, discovered files, doc facts from the cache) but runs no rules,
 * reads no design manifest and no git history: none of them changes the gate's answer, and the
 * hook is paid for on every tool use.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { IdseError } from '../errors.ts';
import { buildWorkspace, docInputs } from '../model/build.ts';
import { isClosed } from '../model/progress.ts';
import { RULE_KEYS } from '../rules/registry.ts';
import { FileFactsCache } from '../run/facts-cache.ts';
import { prefetchFacts } from '../run/facts-pool.ts';
import { readWorkspaceFiles } from '../run/sources/fs.ts';
import type { GatePolicy } from './gate.ts';
import { agentNamer } from './names.ts';
import { type AgentMode, REGISTRY_FILE, readRegistry } from './registry.ts';

export interface GateWorkspaceOptions {
  cwd: string;
  /** The workspace root, relative to `cwd`. */
  root: string;
  env: NodeJS.ProcessEnv;
  /** The agent as the hook names it (`claude`); the registry's own id for it wins. */
  agent: string;
}

export async function gatePolicy(options: GateWorkspaceOptions): Promise<GatePolicy> {
  const root = resolve(options.cwd, options.root);
  if (!existsSync(root)) throw new IdseError('path-not-found', `workspace root not found: ${options.root}`);
  const { config } = await loadConfig(root, () => RULE_KEYS);
  const files = await readWorkspaceFiles(root, {
    ignore: config.ignore,
    maxFileBytes: config.maxFileBytes,
    followSymlinks: config.followSymlinks,
  });
  const cache = FileFactsCache.forWorkspace(root, options.env);
  const facts = await prefetchFacts(docInputs(files, config), config, cache);
  const workspace = buildWorkspace(files, config, facts);
  cache.save();

  const modes = new Set<AgentMode>();
  let agent = options.agent;
  for (const project of workspace.projects) {
    const data = project.dataFiles.get(REGISTRY_FILE);
    if (!data) continue;
    const read = readRegistry(data.text);
    if ('problem' in read) throw new IdseError('config-invalid', read.problem, { file: data.path });
    const id = agentNamer(config, read.registry)(options.agent);
    const entry = read.registry.agents.find((a) => a.id === id);
    if (!entry) continue;
    agent = entry.id;
    if (entry.mode) modes.add(entry.mode);
  }
  const closed = new Set(workspace.projects.flatMap((p) => p.sessions.filter(isClosed).map((s) => s.dir)));
  // Several projects may disagree; the strictest mode among them holds.
  const mode = modes.has('planning')
    ? 'planning'
    : modes.has('implementation')
      ? 'implementation'
      : undefined;
  return { agent, ...(mode ? { mode } : {}), root, closed: (dir) => closed.has(dir) };
}
