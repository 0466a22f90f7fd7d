import type { Config } from '../config/schema.ts';
import type { IdFact, TaskFact } from '../pipeline/facts.ts';
import type { DocModel, SessionModel } from './model.ts';
import { docStarted } from './progress.ts';

export interface Definition {
  doc: DocModel;
  fact: IdFact;
}

export interface TaskEntry {
  doc: DocModel;
  task: TaskFact;
  index: number;
}

/**
 * The traceability graph of one session: what is defined where and who cites it. Only started docs
 * count: the `FR-1 ...` and `Task 0.1 – ...` of a template are placeholders, not requirements or tasks.
 */
export interface Trace {
  requirements: Map<string, Definition[]>;
  tasks: Map<string, TaskEntry[]>;
  allTasks: TaskEntry[];
  /** Requirement keys cited by tasks (anywhere inside a task item). */
  citedByTasks: Set<string>;
  /** Requirement keys cited by ticked tasks: built, not just planned. */
  citedByDoneTasks: Set<string>;
  /** Requirement keys cited by the test plan. */
  citedByTests: Set<string>;
  /** A test plan with content exists. */
  hasTestPlan: boolean;
  /** Started tasks docs exist (possibly with no task items). */
  hasTasks: boolean;
}

const traces = new WeakMap<SessionModel, Trace>();

/** Computed once per session and shared by every rule that needs it. */
export function traceOf(session: SessionModel, config: Config): Trace {
  const cached = traces.get(session);
  if (cached) return cached;
  const requirementFamilies = new Set(config.ids.requirements);
  const started = session.docs.filter((d) => docStarted(d.facts));
  const trace: Trace = {
    requirements: new Map(),
    tasks: new Map(),
    allTasks: [],
    citedByTasks: new Set(),
    citedByDoneTasks: new Set(),
    citedByTests: new Set(),
    hasTestPlan: started.some((d) => d.kind === 'test-plan'),
    hasTasks: started.some((d) => d.kind === 'tasks'),
  };
  for (const doc of started) {
    for (const fact of doc.facts.ids) {
      if (!requirementFamilies.has(fact.family)) continue;
      if (doc.kind === 'spec' && fact.leading) push(trace.requirements, fact.key, { doc, fact });
      else if (doc.kind === 'tasks' && fact.task !== undefined) {
        trace.citedByTasks.add(fact.key);
        if (doc.facts.tasks[fact.task]?.checked) trace.citedByDoneTasks.add(fact.key);
      } else if (doc.kind === 'test-plan') trace.citedByTests.add(fact.key);
    }
  }
  // A requirement defined by a heading or list item is only cited by tables that list it again.
  for (const [key, defs] of trace.requirements) {
    const primary = defs.filter((d) => !d.fact.inTable);
    if (primary.length > 0 && primary.length < defs.length) trace.requirements.set(key, primary);
  }
  for (const doc of started) {
    if (doc.kind !== 'tasks') continue;
    doc.facts.tasks.forEach((task, index) => {
      const entry = { doc, task, index };
      trace.allTasks.push(entry);
      if (task.key) push(trace.tasks, task.key, entry);
    });
  }
  traces.set(session, trace);
  return trace;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** IDs the spec defines, by family order then number, for stable output. */
export const requirementKeys = (trace: Trace): string[] => [...trace.requirements.keys()];

/** Task keys `2.1`…`2.4` that a `2.1-2.4` range names, among the tasks that exist. */
export function tasksInRange(trace: Trace, from: string, to: string): string[] {
  const lo = from.split('.').map(Number);
  const hi = to.split('.').map(Number);
  return [...trace.tasks.keys()].filter((key) => {
    const k = key.split('.').map(Number);
    return compareParts(k, lo) >= 0 && compareParts(k, hi) <= 0;
  });
}

function compareParts(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
