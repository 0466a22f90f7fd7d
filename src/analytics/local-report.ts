import { z } from 'zod';
import { StageSchema } from '../pipeline/stage-schemas.ts';
import type { Stage } from '../pipeline/stages.ts';
import type { Report } from '../report/schema.ts';
import {
  alignment,
  compliance,
  feedbackLoop,
  initTimes,
  markersTrend,
  passRate,
  stageCycleTimes,
  stageFunnel,
  topRules,
} from './metrics.ts';
import type { HistoryPoint } from './points.ts';

export const RatioSchema = z.object({
  count: z.number().int(),
  total: z.number().int(),
  ratio: z.number().nullable(),
});

/** The "now" of a report, shared by `idse report` and `idse agency report`. */
export const NowSchema = z.object({
  sessions: z.number().int(),
  compliance: RatioSchema,
  alignment: RatioSchema,
  openMarkers: z.number().int(),
  topRules: z.array(z.object({ code: z.string(), rule: z.string(), count: z.number().int() })),
  stageFunnel: z.array(z.object({ stage: StageSchema, sessions: z.number().int() })),
});

export const CycleTimesSchema = z.array(
  z.object({
    stage: StageSchema,
    next: StageSchema,
    medianHours: z.number().nullable(),
    samples: z.number().int(),
  }),
);

export const ANALYTICS_SCHEMA_ID = 'idse.analytics/v1';

/** `idse report --format json`: the workspace's metrics now and over its git history. */
export const LocalReportSchema = z.object({
  schema: z.literal(ANALYTICS_SCHEMA_ID),
  head: z.string().optional(),
  window: z.object({ since: z.string().optional(), commits: z.number().int() }),
  now: NowSchema,
  history: z.object({
    passRate: RatioSchema,
    markersTrend: z.array(z.object({ time: z.number(), oid: z.string(), markers: z.number().int() })),
    stageCycleTimes: CycleTimesSchema,
    initTimes: z.array(z.object({ session: z.string(), hours: z.number().nullable() })),
    feedbackLoop: z.object({
      medianHours: z.number().nullable(),
      samples: z.array(z.object({ session: z.string(), task: z.string(), hours: z.number() })),
    }),
  }),
});
export type LocalReport = z.infer<typeof LocalReportSchema>;

/** How many sessions are at each stage. */
function atStage(report: Report): Partial<Record<Stage, number>> {
  const counts: Partial<Record<Stage, number>> = {};
  for (const s of report.sessions) if (s.stage) counts[s.stage] = (counts[s.stage] ?? 0) + 1;
  return counts;
}

export function buildLocalReport(report: Report, points: readonly HistoryPoint[], since?: Date): LocalReport {
  const head = points.at(-1)?.oid;
  return {
    schema: ANALYTICS_SCHEMA_ID,
    ...(head ? { head } : {}),
    window: { ...(since ? { since: since.toISOString() } : {}), commits: points.length },
    now: {
      sessions: report.sessions.length,
      compliance: compliance(report),
      alignment: alignment(report),
      openMarkers: report.sessions.reduce((n, s) => n + s.markers, 0),
      topRules: topRules(report),
      stageFunnel: stageFunnel(atStage(report)),
    },
    history: {
      passRate: passRate(points),
      markersTrend: markersTrend(points),
      stageCycleTimes: stageCycleTimes(points),
      initTimes: initTimes(points),
      feedbackLoop: feedbackLoop(points),
    },
  };
}
