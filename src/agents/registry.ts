import { z } from 'zod';
import { StageSchema } from '../pipeline/stage-schemas.ts';
import { describeIssue } from '../zod-issues.ts';

export const AGENT_MODES = ['planning', 'implementation'] as const;
export const AgentModeSchema = z.enum(AGENT_MODES);
export type AgentMode = z.infer<typeof AgentModeSchema>;

/** One agent of upstream's `agent_registry.json`. Unknown keys are kept: newer orchestrators add some. */
export const RegistryAgentSchema = z.looseObject({
  id: z.string().min(1),
  role: z.string().optional(),
  mode: AgentModeSchema.optional(),
  stages: z.array(StageSchema).optional(),
});
export type RegistryAgent = z.infer<typeof RegistryAgentSchema>;

export const RegistrySchema = z.looseObject({ agents: z.array(RegistryAgentSchema) });
export type Registry = z.infer<typeof RegistrySchema>;

/** Where the registry sits in a project folder, as upstream keeps it. */
export const REGISTRY_FILE = 'agent_registry.json';

/** A registry as read, or why it could not be: a value, never an exception. */
export type RegistryRead = { registry: Registry } | { problem: string; line?: number };

/** Registry text → the registry, or the first problem with the line it is on when JSON says. */
export function readRegistry(text: string): RegistryRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const line = jsonErrorLine(message, text);
    return { problem: `not valid JSON: ${message}`, ...(line ? { line } : {}) };
  }
  const parsed = RegistrySchema.safeParse(data);
  if (!parsed.success) return { problem: describeIssue(parsed.error.issues[0]!) };
  const ids = parsed.data.agents.map((a) => a.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) return { problem: `agent \`${twice}\` is listed twice` };
  return { registry: parsed.data };
}

/** The line a `JSON.parse` error names (V8 says `line N column M`, older ones only `position N`). */
export function jsonErrorLine(message: string, text: string): number | undefined {
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line) return Number(line[1]);
  const at = /position (\d+)/.exec(message);
  return at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
}

/** The registry when it reads cleanly; routing ignores a broken one (rule IDSE043 reports it). */
export function parseRegistry(text: string | undefined): Registry | undefined {
  if (!text) return undefined;
  const read = readRegistry(text);
  return 'registry' in read ? read.registry : undefined;
}

/** The registry with one agent changed, every other key and agent kept, in upstream's 2-space JSON. */
export function updateAgent(
  registry: Registry,
  id: string,
  change: Partial<Pick<RegistryAgent, 'mode' | 'role'>>,
): Registry {
  return {
    ...registry,
    agents: registry.agents.map((agent) => (agent.id === id ? { ...agent, ...change } : agent)),
  };
}

export const renderRegistry = (registry: Registry): string => `${JSON.stringify(registry, null, 2)}\n`;

/** Upstream's starting registry (no modes: nothing is restricted until someone sets one). */
export const DEFAULT_REGISTRY: Registry = {
  agents: [
    {
      id: 'claude-code',
      role: 'orchestrator',
      stages: ['intent', 'context', 'spec', 'plan', 'tasks', 'feedback'],
    },
    { id: 'gpt-codex', role: 'implementer', stages: ['implementation'] },
  ],
};
