/**
 * Chart sections both HTML reports draw from the same metrics (`idse report --format html` and the
 * dashboard / `idse agency report --format html`): the stage funnel, stage cycle times, top rules.
 */
import { hours } from './format.ts';
import { chartSection, htmlTable } from './html.ts';
import type { CycleTime, RuleCount } from './metrics.ts';
import { barChart } from './svg.ts';

export const funnelSection = (funnel: readonly { stage: string; sessions: number }[]): string =>
  chartSection(
    'funnel',
    'Stage funnel',
    barChart(
      'Sessions that reached each stage',
      funnel.map((f) => ({ label: f.stage, value: f.sessions })),
    ),
    htmlTable(
      'Sessions that reached each stage',
      ['stage', 'sessions'],
      funnel.map((f) => [f.stage, String(f.sessions)]),
    ),
  );

export const cycleTimesSection = (cycles: readonly CycleTime[]): string =>
  chartSection(
    'cycle-times',
    'Stage cycle times',
    barChart(
      'Median hours from reaching a stage to reaching the next',
      cycles.map((c) => ({
        label: `${c.stage} → ${c.next}`,
        value: Math.round((c.medianHours ?? 0) * 10) / 10,
      })),
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
    ),
    htmlTable(
      'Open findings by rule',
      ['rule', 'name', 'findings'],
      rules.map((t) => [t.code, t.rule, String(t.count)]),
    ),
  );
