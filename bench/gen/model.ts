import type { Rng } from './prng.ts';
import { ACTIONS, NOUNS, phrase } from './prose.ts';

/** Docs a seeded flaw can land in; each generator checks whether it is the chosen one. */
export type FlawDoc = 'context' | 'spec' | 'plan' | 'test-plan' | 'tasks' | 'implementation';

export interface Requirement {
  id: string;
  title: string;
}

export interface Task {
  /** `1.2` */
  key: string;
  text: string;
  deps: string;
  acceptance: string[];
  owner: string;
  done: boolean;
  parallel: boolean;
}

export interface Phase {
  index: number;
  title: string;
  tasks: Task[];
}

export interface TestCase {
  id: string;
  covers: string[];
}

export interface SessionModel {
  project: string;
  session: string;
  owner: string;
  /** Days after the corpus epoch; dates derive from it so they stay seed-determined. */
  day: number;
  date: string;
  status: 'in_progress' | 'review' | 'complete';
  frs: Requirement[];
  nfrs: Requirement[];
  acs: Requirement[];
  phases: Phase[];
  tests: TestCase[];
  /** Deliberate defects, at rates a real workspace shows, so the validator has findings to report. */
  flaws: {
    marker?: FlawDoc;
    unknownId?: string;
    uncovered?: string;
    untested?: string;
    brokenLink?: boolean;
  };
}

/** Per-session probabilities of each seeded defect. */
export const FLAW_RATES = { marker: 0.05, unknownId: 0.08, uncovered: 0.1, untested: 0.05, brokenLink: 0.02 };

const OWNERS = ['@claude', '@codex', '@alice', '@bob', '@priya', '@mateo', '@implementer'];
const PHASE_TITLES = ['Foundations', 'Core Behavior', 'NFRs / Hardening', 'Rollout', 'Documentation'];
const TASK_VERBS = ['Implement', 'Add tests for', 'Wire up', 'Document', 'Refactor', 'Benchmark', 'Review'];
const MARKER_DOCS: readonly FlawDoc[] = ['context', 'spec', 'plan', 'test-plan', 'tasks', 'implementation'];

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

const BASE_DAY = Date.UTC(2025, 0, 6);

export const isoDate = (dayOffset: number): string =>
  new Date(BASE_DAY + dayOffset * 86_400_000).toISOString().slice(0, 10);

export const uniqueName = (taken: Set<string>, make: () => string): string => {
  let name = make();
  for (let n = 2; taken.has(name); n++) name = `${make()}-${n}`;
  taken.add(name);
  return name;
};

export const sessionName = (rng: Rng): string => `${rng.pick(NOUNS)}-${rng.pick(NOUNS)}-${rng.pick(ACTIONS)}`;

const requirements = (rng: Rng, family: string, count: number): Requirement[] =>
  Array.from({ length: count }, (_, i) => ({ id: `${family}-${i + 1}`, title: phrase(rng) }));

export function buildSession(
  rng: Rng,
  base: { project: string; session: string; day: number; status: SessionModel['status'] },
): SessionModel {
  const owner = rng.pick(OWNERS);
  const frs = requirements(rng, 'FR', rng.int(3, 7));
  const nfrs = requirements(rng, 'NFR', rng.int(1, 3));
  const acs = requirements(rng, 'AC', rng.int(2, 5));
  const flaws: SessionModel['flaws'] = {};
  if (rng.chance(FLAW_RATES.marker)) flaws.marker = rng.pick(MARKER_DOCS);
  if (rng.chance(FLAW_RATES.unknownId)) flaws.unknownId = `FR-${frs.length + rng.int(1, 3)}`;
  if (rng.chance(FLAW_RATES.uncovered)) flaws.uncovered = rng.pick(frs).id;
  if (rng.chance(FLAW_RATES.untested)) flaws.untested = rng.pick(frs).id;
  if (rng.chance(FLAW_RATES.brokenLink)) flaws.brokenLink = true;
  const ids = [...frs, ...nfrs, ...acs].map((r) => r.id);
  const phases = buildPhases(
    rng,
    owner,
    base.status,
    ids.filter((id) => id !== flaws.uncovered),
    flaws.unknownId,
  );
  const tests = buildTests(
    rng,
    ids.filter((id) => id !== flaws.untested && id !== flaws.uncovered),
  );
  return { ...base, date: isoDate(base.day), owner, frs, nfrs, acs, phases, tests, flaws };
}

function buildPhases(
  rng: Rng,
  owner: string,
  status: SessionModel['status'],
  ids: string[],
  unknownId: string | undefined,
): Phase[] {
  const phases: Phase[] = [];
  const all: Task[] = [];
  const count = rng.int(2, 4);
  for (let p = 0; p < count; p++) {
    const tasks: Task[] = [];
    for (let i = 1, n = rng.int(3, 6); i <= n; i++) {
      const prev = i > 1 ? `Task ${p}.${i - 1}` : p > 0 ? `Task ${p - 1}.1` : 'none';
      tasks.push({
        key: `${p}.${i}`,
        text: `${rng.pick(TASK_VERBS)} ${lowerFirst(phrase(rng))}`,
        deps: rng.chance(0.15) && p > 0 ? `Phase ${p - 1}` : prev,
        acceptance: [],
        owner: rng.chance(0.8) ? owner : rng.pick(OWNERS),
        done: false,
        parallel: i > 1 && rng.chance(0.25),
      });
    }
    all.push(...tasks);
    phases.push({ index: p, title: PHASE_TITLES[p]!, tasks });
  }
  // Each requirement lands on one task so coverage is complete unless a flaw removed it.
  for (const id of ids) rng.pick(all).acceptance.push(id);
  for (const task of all) {
    if (task.acceptance.length === 0) task.acceptance.push(rng.pick(ids));
    task.acceptance.sort(byId);
  }
  if (unknownId) rng.pick(all).acceptance.push(unknownId);
  const doneCount = status === 'in_progress' ? rng.int(0, all.length - 1) : all.length;
  all.slice(0, doneCount).forEach((t) => {
    t.done = true;
  });
  return phases;
}

function buildTests(rng: Rng, ids: string[]): TestCase[] {
  const tests: TestCase[] = [];
  const queue = rng.shuffle(ids);
  while (queue.length > 0) {
    const covers = queue.splice(0, rng.int(1, 3)).sort(byId);
    tests.push({ id: `TC-${tests.length + 1}`, covers });
  }
  return tests;
}

const FAMILY_ORDER = ['FR', 'NFR', 'AC'];
const byId = (a: string, b: string): number => {
  const [fa, na] = a.split('-');
  const [fb, nb] = b.split('-');
  return FAMILY_ORDER.indexOf(fa!) - FAMILY_ORDER.indexOf(fb!) || Number(na) - Number(nb);
};
