// What a bundle knows from its build so that start-up need not compute it: the config of a workspace
// without a config file, and the rule set a run memo is keyed by. Computed from the very sources the
// bundle is built from, so they cannot disagree with it; a run from source computes them instead
// (src/config/load.ts, src/run/load.ts). With them, a run the memo answers loads neither zod nor the
// rules.
export async function startupDefines(): Promise<Record<string, string>> {
  const { defaultConfig } = await import('../src/config/schema.ts');
  const { RULES, rulesetOf } = await import('../src/rules/registry.ts');
  return {
    __IDSE_DEFAULT_CONFIG__: JSON.stringify(defaultConfig()),
    __IDSE_RULESET__: JSON.stringify(rulesetOf(RULES)),
  };
}
