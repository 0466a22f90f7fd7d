/**
 * Chart sections both HTML reports draw from the same metrics (`idse report --format html` and the
 * dashboard / `idse agency report --format html`): the stage funnel, stage cycle times, top rules.
 * Each says in words when it has nothing to draw.
 */
import { hours } from './format.ts';
import { chartSection, htmlTable } from './html.ts';
import type { CycleTime, RuleCount } from './metrics.ts';
import { barChart } from './svg.ts';

export const funnelSection = (funnel: readonly { stage: string; sessions: number }[]): string => {
  const any = funnel.some((f) => f.sessions > 0);
  return chartSection(
    'funnel',
    'Stage funnel',
    barChart(
      'Sessions that reached each stage',
      any ? funnel.map((f) => ({ label: f.stage, value: f.sessions })) : [],
      { empty: 'No sessions yet' },
    ),
    htmlTable(
      'Sessions that reached each stage',
      ['stage', 'sessions'],
      funnel.map((f) => [f.stage, String(f.sessions)]),
    ),
  );
};

/** Only the steps some session has made: a step nobody has made has no time, not a time of zero. */
export const cycleTimesSection = (cycles: readonly CycleTime[]): string =>
  chartSection(
    'cycle-times',
    'Stage cycle times',
    barChart(
      'Median hours from reaching a stage to reaching the next',
      cycles
        .filter((c) => c.samples > 0 && c.medianHours !== null)
        .map((c) => ({
          label: `${c.stage} → ${c.next}`,
          value: Math.round((c.medianHours ?? 0) * 10) / 10,
        })),
      { empty: 'No data yet: no session has gone from one stage to the next' },
    ),
    htmlTable(
      'Median time from each stage to the next',
      ['from', 'to', 'median', 'sessions'],
      cycles.map((c) => [c.stage, c.next, hours(c.medianHours), String(c.samples)]),
    ),
  );

export const rulesSection = (rules: readonly RuleCount[]): string =>
  chartSection(
    'rules',
    'Top failing rules',
    barChart(
      'Open findings by rule',
      rules.map((t) => ({ label: `${t.code} ${t.rule}`, value: t.count })),
      { empty: 'No open findings' },
    ),
    htmlTable(
      'Open findings by rule',
      ['rule', 'name', 'findings'],
      rules.map((t) => [t.code, t.rule, String(t.count)]),
    ),
  );
