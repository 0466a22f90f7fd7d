import type { Rng } from './prng.ts';

/**
 * Word lists and sentence shapes for engineering prose. Varied enough that parsers see realistic
 * token mixes (inline code, numbers, punctuation, emphasis) rather than one repeated sentence.
 */
const COMPONENTS = [
  'session loader',
  'artifact store',
  'sync worker',
  'validation engine',
  'report builder',
  'CLI front end',
  'schema registry',
  'cache layer',
  'event bus',
  'policy checker',
  'migration runner',
  'audit log',
  'template renderer',
  'dependency resolver',
  'notification service',
  'search index',
  'rate limiter',
  'config loader',
  'agent runtime',
  'blueprint merger',
];
const OBJECTS = [
  'pipeline artifacts',
  'session metadata',
  'requirement IDs',
  'task dependencies',
  'stage transitions',
  'stale cache entries',
  'front matter',
  'cross-document links',
  'user permissions',
  'retry budgets',
  'schema versions',
  'audit events',
  'partial writes',
  'conflicting edits',
  'orphaned sessions',
  'rendered templates',
  'unresolved markers',
  'feedback items',
];
/** Third-person forms; `base` strips them for plural subjects. */
const VERBS = [
  'validates',
  'persists',
  'normalises',
  'streams',
  'batches',
  'deduplicates',
  'reconciles',
  'indexes',
  'serialises',
  'rejects',
  'replays',
  'snapshots',
  'caches',
  'publishes',
  'migrates',
  'annotates',
];
const base = (verb: string): string => (/(ch|sh|x)es$/.test(verb) ? verb.slice(0, -2) : verb.slice(0, -1));
const QUALIFIERS = [
  'before the stage is marked complete',
  'on every save',
  'when the backend is unavailable',
  'without blocking the caller',
  'in a single transaction',
  'behind a feature flag',
  'at most once per run',
  'only for the current session',
  'as part of the nightly job',
  'when the owner changes',
];
const REASONS = [
  'so that reviewers see one consistent view',
  'because partial state confused earlier runs',
  'which keeps the CLI responsive on large workspaces',
  'so the audit trail stays complete',
  'because the upstream schema changed twice last quarter',
  'which removes a class of race conditions',
  'so agents can resume after a crash',
  'because the blueprint requires it',
];
const OPENERS = [
  'In practice,',
  'For now,',
  'Initially,',
  'As agreed in review,',
  'Longer term,',
  'Where possible,',
  'During the spike,',
  'By default,',
];
const ADJECTIVES = [
  'incremental',
  'deterministic',
  'idempotent',
  'read-only',
  'versioned',
  'resumable',
  'typed',
];
export const NOUNS = [
  'cache',
  'loader',
  'sync',
  'schema',
  'report',
  'index',
  'audit',
  'policy',
  'runtime',
  'registry',
  'template',
  'migration',
  'search',
  'export',
  'import',
  'webhook',
  'quota',
  'billing',
  'auth',
  'profile',
];
export const ACTIONS = [
  'refactor',
  'harden',
  'add',
  'migrate',
  'split',
  'cleanup',
  'rewrite',
  'extend',
  'audit',
  'bootstrap',
];
export const STACK = [
  ['Runtime', 'Node.js 24'],
  ['Language', 'TypeScript 5'],
  ['Storage', 'SQLite 3.46'],
  ['Queue', 'Redis streams'],
  ['CI', 'GitHub Actions'],
  ['Tests', 'Vitest'],
  ['Lint', 'Biome'],
  ['Docs', 'Markdown + Mermaid'],
  ['Packaging', 'npm'],
  ['Container', 'Docker 27'],
  ['Observability', 'OpenTelemetry'],
  ['API', 'REST + JSON Schema'],
] as const;

export const component = (rng: Rng): string => rng.pick(COMPONENTS);
export const object = (rng: Rng): string => rng.pick(OBJECTS);
export const qualifier = (rng: Rng): string => rng.pick(QUALIFIERS);
export const titleCase = (s: string): string => s.replace(/\b\w/g, (c) => c.toUpperCase());
export const ident = (rng: Rng): string =>
  `${rng.pick(NOUNS)}${titleCase(rng.pick(ACTIONS))}${titleCase(rng.pick(NOUNS))}`;

const SHAPES: ReadonlyArray<(rng: Rng) => string> = [
  (r) => `The ${component(r)} ${r.pick(VERBS)} ${object(r)} ${qualifier(r)}, ${r.pick(REASONS)}.`,
  (r) => `${r.pick(OPENERS)} the ${component(r)} ${r.pick(VERBS)} ${object(r)} ${qualifier(r)}.`,
  (r) => `We keep the ${component(r)} ${r.pick(ADJECTIVES)} ${r.pick(REASONS)}.`,
  (r) => `Calls to \`${ident(r)}()\` ${base(r.pick(VERBS))} ${object(r)} ${qualifier(r)}.`,
  (r) => `Median latency stays under ${r.int(20, 400)} ms for ${r.int(2, 90) * 100} ${object(r)}.`,
  (r) => `The **${component(r)}** must stay ${r.pick(ADJECTIVES)}; it ${r.pick(VERBS)} ${object(r)}.`,
  (r) => `Roughly ${r.int(5, 95)}% of ${object(r)} come from the ${component(r)}, ${r.pick(REASONS)}.`,
  (r) => `If the ${component(r)} fails, the ${component(r)} ${r.pick(VERBS)} ${object(r)} ${qualifier(r)}.`,
  (r) =>
    `See \`${r.pick(NOUNS)}/${r.pick(NOUNS)}.ts\` for how the ${component(r)} ${r.pick(VERBS)} ${object(r)}.`,
];

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export const sentence = (rng: Rng): string => capitalise(rng.pick(SHAPES)(rng));

export const paragraph = (rng: Rng, min = 2, max = 5): string =>
  Array.from({ length: rng.int(min, max) }, () => sentence(rng)).join(' ');

/** A short noun phrase for titles: "Incremental audit log persistence". */
export const phrase = (rng: Rng): string =>
  capitalise(
    `${rng.pick(ADJECTIVES)} ${component(rng)} ${rng.pick(['support', 'handling', 'rollout', 'checks'])}`,
  );
