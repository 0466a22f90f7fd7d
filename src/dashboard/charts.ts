/**
 * The dashboard's charts, each an SVG with the table of the same numbers beside it: pass rate by week,
 * stage funnel, stage cycle times, top failing rules, open markers by week. Also the summary table.
 * Used by every dashboard page and by `idse agency report --format html`.
 */

import { summaryRows } from '../analytics/agency-render.ts';
import type { AgencyReport } from '../analytics/agency-report.ts';
import { pct } from '../analytics/format.ts';
import { chartSection, htmlTable } from '../analytics/html.ts';
import { cycleTimesSection, funnelSection, rulesSection } from '../analytics/sections.ts';
import { lineChart } from '../analytics/svg.ts';

export const summaryTable = (r: AgencyReport): string =>
  htmlTable('Summary', ['metric', 'value'], summaryRows(r));

const at = (week: string) => Date.parse(`${week}T00:00:00Z`);

/** The fewest weeks a weekly chart spans, so one week of data is a point in a short while, not a line. */
export const MIN_WEEKS = 8;

type Week = AgencyReport['history']['weeks'][number];

/**
 * The weeks a chart spans: from the first with runs or open markers to the newest, at least
 * MIN_WEEKS. A year of history with data in its last week draws eight weeks, not fifty-one of zeros.
 */
export function weeksShown(weeks: readonly Week[]): Week[] {
  const first = weeks.findIndex((w) => w.passRate.total > 0 || w.openMarkers > 0);
  const start = Math.min(first === -1 ? weeks.length : first, weeks.length - MIN_WEEKS);
  return weeks.slice(Math.max(0, start));
}

const NO_RUNS = 'No data yet: no validation runs in these weeks';

export function chartSections(r: AgencyReport): string {
  const weeks = weeksShown(r.history.weeks);
  const withRuns = weeks.filter((w) => w.passRate.ratio !== null);
  const anyMarkers = weeks.some((w) => w.openMarkers > 0);
  const first = weeks[0];
  const last = weeks.at(-1);
  // The pass rate has points only in weeks with runs; its axis still spans the weeks shown.
  const xAxis =
    first && last
      ? { from: at(first.week), to: at(last.week), fromLabel: first.week, toLabel: last.week }
      : undefined;
  const newestFirst = [...weeks].reverse();
  return [
    chartSection(
      'pass-rate',
      'Validation pass rate by week',
      lineChart(
        'Runs without errors, % of the week’s runs',
        withRuns.map((w) => ({ x: at(w.week), y: Math.round(w.passRate.ratio! * 1000) / 10, label: w.week })),
        { yMax: 100, unit: '%', empty: NO_RUNS, ...(xAxis ? { xAxis } : {}) },
      ),
      htmlTable(
        'Validation runs by week, newest first',
        ['week', 'runs', 'passed', 'pass rate'],
        withRuns.length
          ? newestFirst.map((w) => [
              w.week,
              String(w.passRate.total),
              String(w.passRate.count),
              pct(w.passRate),
            ])
          : [],
      ),
    ),
    funnelSection(r.now.stageFunnel),
    cycleTimesSection(r.history.stageCycleTimes),
    rulesSection(r.now.topRules),
    chartSection(
      'markers',
      'Open [REQUIRES INPUT] markers by week',
      lineChart(
        'Markers open at the end of each week',
        withRuns.length || anyMarkers
          ? weeks.map((w) => ({ x: at(w.week), y: w.openMarkers, label: w.week }))
          : [],
        { empty: NO_RUNS },
      ),
      htmlTable(
        'Open markers at the end of each week, newest first',
        ['week', 'open markers'],
        withRuns.length || anyMarkers ? newestFirst.map((w) => [w.week, String(w.openMarkers)]) : [],
      ),
    ),
  ].join('\n');
}
