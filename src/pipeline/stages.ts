/** The pipeline, in order. A session "reaches" a stage once its doc has real content. */
export const STAGES = ['intent', 'context', 'spec', 'plan', 'tasks', 'implementation', 'feedback'] as const;
export type Stage = (typeof STAGES)[number];

/** Every kind of doc a session holds. `test-plan` belongs to the plan stage; `meta` to none. */
export const DOC_KINDS = [
  'intent',
  'context',
  'spec',
  'plan',
  'test-plan',
  'tasks',
  'implementation',
  'feedback',
  'meta',
] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export const stageOfKind = (kind: DocKind): Stage | undefined =>
  kind === 'test-plan' ? 'plan' : kind === 'meta' ? undefined : kind;

export const stageIndex = (stage: Stage): number => STAGES.indexOf(stage);

/** Stage folders of the upstream layout (`sessions/<s>/specs/spec.md`). */
export const STAGE_FOLDERS: Readonly<Record<string, DocKind>> = {
  intents: 'intent',
  contexts: 'context',
  specs: 'spec',
  plans: 'plan',
  tasks: 'tasks',
  implementation: 'implementation',
  feedback: 'feedback',
  metadata: 'meta',
};

/** The canonical file of each kind, written by `idse init` and looked for first. */
export const CANONICAL_PATHS: Readonly<Record<DocKind, string>> = {
  intent: 'intents/intent.md',
  context: 'contexts/context.md',
  spec: 'specs/spec.md',
  plan: 'plans/plan.md',
  'test-plan': 'plans/test-plan.md',
  tasks: 'tasks/tasks.md',
  implementation: 'implementation/README.md',
  feedback: 'feedback/feedback.md',
  meta: 'metadata/meta.md',
};

/** Flat sessions keep `sessions/<s>/spec.md`; the file name says the kind. */
export const FLAT_FILE_KINDS: Readonly<Record<string, DocKind>> = {
  'intent.md': 'intent',
  'context.md': 'context',
  'spec.md': 'spec',
  'plan.md': 'plan',
  'test-plan.md': 'test-plan',
  'tasks.md': 'tasks',
  'implementation.md': 'implementation',
  'feedback.md': 'feedback',
  'meta.md': 'meta',
};
