/**
 * The agency's metrics for one scope (every client, a client, a project or a session), computed from
 * what the store keeps (AgencyMetrics) with the definitions in metrics.ts. The dashboard and
 * `idse agency report` both render this one object.
 */
import { z } from 'zod';
import { StageSchema } from '../pipeline/stage-schemas.ts';
import { STAGES, type Stage } from '../pipeline/stages.ts';
import { findRule } from '../rules/registry.ts';
import { type AgencyMetrics, AgencyScopeSchema } from '../store/agency.ts';
import { CycleTimesSchema, NowSchema, RatioSchema } from './local-report.ts';
import { cycleTimes, initTime, medianInitTime, rankRules, ratio, stageFunnel } from './metrics.ts';

export const AGENCY_REPORT_SCHEMA_ID = 'idse.agency-report/v1';

export const AgencyReportSchema = z.object({
  schema: z.literal(AGENCY_REPORT_SCHEMA_ID),
  scope: AgencyScopeSchema,
  /** First week of the history (YYYY-MM-DD, a Monday). */
  since: z.string(),
  now: NowSchema,
  history: z.object({
    passRate: RatioSchema,
    weeks: z.array(
      z.object({
        week: z.string(),
        passRate: RatioSchema,
        openMarkers: z.number().int(),
      }),
    ),
    stageCycleTimes: CycleTimesSchema,
    initTime: z.object({ medianHours: z.number().nullable(), samples: z.number().int() }),
  }),
});
export type AgencyReport = z.infer<typeof AgencyReportSchema>;

const SECOND = 1000;

export function buildAgencyReport(m: AgencyMetrics): AgencyReport {
  const weeks = m.weeks.map((w) => ({
    week: w.week,
    passRate: ratio(w.passed_runs, w.runs),
    openMarkers: w.open_markers,
  }));
  const inits = m.timelines.flatMap(([start, clean]) =>
    typeof start === 'number'
      ? [initTime(start * SECOND, typeof clean === 'number' ? clean * SECOND : undefined)]
      : [],
  );
  return {
    schema: AGENCY_REPORT_SCHEMA_ID,
    scope: m.scope,
    since: m.since,
    now: {
      sessions: m.now.sessions,
      compliance: ratio(m.now.compliant, m.now.validated),
      alignment: ratio(m.now.aligned, m.now.requirements),
      openMarkers: m.now.open_markers,
      topRules: rankRules(
        Object.entries(m.rules).map(([code, count]) => ({ code, rule: findRule(code)?.name ?? code, count })),
      ),
      stageFunnel: stageFunnel(atStage(m.stages)),
    },
    history: {
      passRate: ratio(
        m.weeks.reduce((n, w) => n + w.passed_runs, 0),
        m.weeks.reduce((n, w) => n + w.runs, 0),
      ),
      weeks,
      stageCycleTimes: cycleTimes(m.timelines.map(reachedTimes)),
      initTime: {
        medianHours: medianInitTime(inits),
        samples: inits.filter((h) => h !== null).length,
      },
    },
  };
}

/** The store's sessions per stage, keeping only stages this version knows. */
function atStage(stages: Record<string, number>): Partial<Record<Stage, number>> {
  return Object.fromEntries(Object.entries(stages).filter(([stage]) => StageSchema.safeParse(stage).success));
}

/** [first run, first pass, reached intent, context, …] (epoch seconds) → reached times by stage (ms). */
function reachedTimes(timeline: readonly (number | null)[]): Partial<Record<Stage, number>> {
  const reached: Partial<Record<Stage, number>> = {};
  STAGES.forEach((stage, i) => {
    const at = timeline[2 + i];
    if (at !== null && at !== undefined) reached[stage] = at * SECOND;
  });
  return reached;
}
