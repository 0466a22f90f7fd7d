import { STAGES, type Stage, stageIndex } from '../pipeline/stages.ts';
import type { Report } from '../report/schema.ts';
import type { HistoryPoint } from './points.ts';

/**
 * The seed's success metrics, each defined once. Every function is pure: the same report and history
 * give the same numbers, whichever face asks. `idse report` feeds them a report and the points of a
 * git-history replay; the agency report (agency-report.ts) feeds the same functions what the store
 * keeps, where the store has already counted per run or per session with the same predicates
 * (a run passes, a session complies: no errors — idse.analytics.passed, idse.view_counts).
 */
export interface Ratio {
  count: number;
  total: number;
  /** count / total, or null when there is nothing to divide. */
  ratio: number | null;
}

export const ratio = (count: number, total: number): Ratio => ({
  count,
  total,
  ratio: total ? count / total : null,
});
const HOUR = 3_600_000;

export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  // A typed array sorts numerically without a comparator: several times faster on the dashboard's
  // thousands of sessions.
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Compliance: sessions with no error / all sessions. */
export const compliance = (report: Report): Ratio =>
  ratio(report.sessions.filter((s) => s.errors === 0).length, report.sessions.length);

/** Validation pass rate: runs (here, commits) with no error / all runs. */
export const passRate = (points: readonly HistoryPoint[]): Ratio =>
  ratio(points.filter((p) => p.errors === 0).length, points.length);

export interface RuleCount {
  code: string;
  rule: string;
  count: number;
}

/** Rules by how many findings they raised, most first. */
export function topRules(report: Report, limit = 10): RuleCount[] {
  const counts = new Map<string, RuleCount>();
  for (const d of report.diagnostics) {
    const entry = counts.get(d.code) ?? { code: d.code, rule: d.rule, count: 0 };
    entry.count++;
    counts.set(d.code, entry);
  }
  return rankRules(counts.values(), limit);
}

/** Top failing rules: most findings first, ties by code; rules without findings left out. */
export const rankRules = (counts: Iterable<RuleCount>, limit = 10): RuleCount[] =>
  [...counts]
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1))
    .slice(0, limit);

/** Stage funnel: how many sessions have reached at least each stage, from how many are at each. */
export const stageFunnel = (atStage: Partial<Record<Stage, number>>): { stage: Stage; sessions: number }[] =>
  STAGES.map((stage, i) => ({
    stage,
    sessions: STAGES.slice(i).reduce((n, later) => n + (atStage[later] ?? 0), 0),
  }));

/** Open `[REQUIRES INPUT]` markers after each commit. */
export const markersTrend = (points: readonly HistoryPoint[]) =>
  points.map((p) => ({ time: p.time, oid: p.oid, markers: p.markers }));

/** When each session first reached each stage (from the commits that moved it). */
export function stageTimeline(points: readonly HistoryPoint[]): Map<string, Partial<Record<Stage, number>>> {
  const timeline = new Map<string, Partial<Record<Stage, number>>>();
  for (const point of points) {
    for (const [name, s] of Object.entries(point.sessions)) {
      const reached = timeline.get(name) ?? {};
      timeline.set(name, reached);
      if (!s.stage) continue;
      for (const stage of STAGES.slice(0, stageIndex(s.stage) + 1)) reached[stage] ??= point.time;
    }
  }
  return timeline;
}

export interface CycleTime {
  stage: Stage;
  next: Stage;
  medianHours: number | null;
  samples: number;
}

/** Stage cycle time: hours from reaching a stage to reaching the next, median over sessions. */
export const stageCycleTimes = (points: readonly HistoryPoint[]): CycleTime[] =>
  cycleTimes(stageTimeline(points).values());

/**
 * Stage cycle times from when each session first reached each stage (epoch ms). A step the session had
 * made by the first time it was seen is not measured: a session that appears at the spec stage tells
 * nothing about how long intent and context took (counting those as zero drew charts of zeros).
 */
export function cycleTimes(timelines: Iterable<Partial<Record<Stage, number>>>): CycleTime[] {
  const timeline = [...timelines].map((t) => ({ t, firstSeen: Math.min(...Object.values(t)) }));
  return STAGES.slice(0, -1).map((stage, i) => {
    const next = STAGES[i + 1]!;
    const spans: number[] = [];
    for (const { t, firstSeen } of timeline) {
      const from = t[stage];
      const to = t[next];
      if (from !== undefined && to !== undefined && to > firstSeen) spans.push((to - from) / HOUR);
    }
    return { stage, next, medianHours: median(spans), samples: spans.length };
  });
}

/** Init time of one session: hours from its start to its first clean validation; null before that. */
export const initTime = (start: number, firstClean: number | undefined): number | null =>
  firstClean === undefined ? null : (firstClean - start) / HOUR;

/** The median of the init times of the sessions that have one. */
export const medianInitTime = (hours: readonly (number | null)[]): number | null =>
  median(hours.filter((h): h is number => h !== null));

/** Init time: hours from a session's first commit to its first commit without errors. */
export function initTimes(points: readonly HistoryPoint[]): { session: string; hours: number | null }[] {
  const first = new Map<string, number>();
  const clean = new Map<string, number>();
  for (const point of points) {
    for (const [name, s] of Object.entries(point.sessions)) {
      if (!first.has(name)) first.set(name, point.time);
      if (s.errors === 0 && !clean.has(name)) clean.set(name, point.time);
    }
  }
  return [...first].map(([session, start]) => ({ session, hours: initTime(start, clean.get(session)) }));
}

/** Feedback loop: hours from the commit that ticked a task to the first feedback citing it. */
export function feedbackLoop(points: readonly HistoryPoint[]): {
  medianHours: number | null;
  samples: { session: string; task: string; hours: number }[];
} {
  const doneAt = new Map<string, number>();
  const citedAt = new Map<string, number>();
  for (const point of points) {
    for (const [name, s] of Object.entries(point.sessions)) {
      for (const task of s.done)
        if (!doneAt.has(`${name}#${task}`)) doneAt.set(`${name}#${task}`, point.time);
      for (const task of s.cited)
        if (!citedAt.has(`${name}#${task}`)) citedAt.set(`${name}#${task}`, point.time);
    }
  }
  const samples = [...doneAt].flatMap(([key, done]) => {
    const cited = citedAt.get(key);
    if (cited === undefined) return [];
    const [session, task] = key.split('#') as [string, string];
    // Feedback written before the tick still closes the loop: the wait is zero, not negative.
    return [{ session, task, hours: Math.max(0, cited - done) / HOUR }];
  });
  return { medianHours: median(samples.map((s) => s.hours)), samples };
}

/** Spec-to-code alignment: requirements cited by a done task and by the test plan / all requirements. */
export const alignment = (report: Report): Ratio =>
  ratio(
    report.sessions.reduce((n, s) => n + s.coverage.aligned, 0),
    report.sessions.reduce((n, s) => n + s.coverage.requirements, 0),
  );
