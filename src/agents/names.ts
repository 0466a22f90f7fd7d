import type { Config } from '../config/schema.ts';
import type { Registry } from './registry.ts';

/**
 * The IDE agents every IDSE repo names without declaring them, by family: the first name is the
 * family's own, the others what upstream repos call the same agent (`gpt-codex`, `claude-code`).
 */
export const KNOWN_AGENTS: Readonly<Record<string, readonly string[]>> = {
  claude: ['claude', 'claude-code'],
  codex: ['codex', 'gpt-codex'],
  copilot: ['copilot', 'github-copilot'],
  gemini: ['gemini'],
  cursor: ['cursor'],
};

export const normalName = (name: string): string => name.trim().replace(/^@/, '').toLowerCase();

const familyOf = (name: string): readonly string[] | undefined =>
  Object.values(KNOWN_AGENTS).find((names) => names.includes(name));

/**
 * Name → agent, or undefined for a name nobody declared. The config's agents and aliases come
 * first, then the registry's ids, then the known families; a known name resolves to the member of
 * its family that the config or registry declares, so `claude` and `claude-code` are one agent.
 */
export function agentNamer(config: Config, registry?: Registry): (name: string) => string | undefined {
  const declared = new Map<string, string>();
  for (const [agent, { aliases }] of Object.entries(config.agents)) {
    declared.set(normalName(agent), agent);
    for (const alias of aliases) declared.set(normalName(alias), agent);
  }
  for (const { id } of registry?.agents ?? []) {
    if (!declared.has(normalName(id))) declared.set(normalName(id), id);
  }
  return (raw) => {
    const name = normalName(raw);
    const direct = declared.get(name);
    if (direct) return direct;
    const family = familyOf(name);
    if (!family) return undefined;
    for (const member of family) {
      const agent = declared.get(member);
      if (agent) return agent;
    }
    return family[0];
  };
}
