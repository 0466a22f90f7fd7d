import { describe, expect, it } from 'vitest';
import { scopeTitle } from '../../../src/analytics/agency-render.ts';
import type { AgencyReport } from '../../../src/analytics/agency-report.ts';
import { barChart, fitLabel, lineChart } from '../../../src/analytics/svg.ts';
import { MIN_WEEKS, weeksShown } from '../../../src/dashboard/charts.ts';

const week = (week: string, runs: number, openMarkers = 0) => ({
  week,
  passRate: { count: runs, total: runs, ratio: runs ? 1 : null },
  openMarkers,
});
const mondays = (n: number) =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 0, 5 + 7 * i)).toISOString().slice(0, 10));

describe('charts that fit their data', () => {
  it('span the weeks from the first with data to the newest, and at least eight', () => {
    const year = mondays(52);
    const lastOnly = year.map((w, i) => week(w, i === 51 ? 2 : 0));
    expect(weeksShown(lastOnly).map((w) => w.week)).toEqual(year.slice(52 - MIN_WEEKS));
    const fromTen = year.map((w, i) => week(w, i === 10 ? 1 : 0, i >= 30 ? 3 : 0));
    expect(weeksShown(fromTen)[0]!.week).toBe(year[10]);
    expect(weeksShown(year.map((w) => week(w, 0)))).toHaveLength(MIN_WEEKS);
    expect(weeksShown(year.slice(0, 3).map((w) => week(w, 1)))).toHaveLength(3);
  });

  it('say "no data yet" in words instead of drawing an empty axis or bars of zero', () => {
    expect(lineChart('Pass rate', [], { empty: 'No runs yet' })).toContain(
      'data-empty="true">No runs yet</text>',
    );
    expect(barChart('Cycle times', [])).toContain('>No data yet</text>');
    expect(barChart('Cycle times', [])).not.toContain('<rect');
  });

  it('keep labels whole: the column fits the longest, long ones wrap, and only past two lines end in "…"', () => {
    expect(fitLabel('IDSE013 unknown-requirement', 36)).toEqual(['IDSE013 unknown-requirement']);
    expect(fitLabel('IDSE099 a-rule-name-that-goes-on-and-on-and-on', 36)).toEqual([
      'IDSE099 a-rule-name-that-goes-on-',
      'and-on-and-on',
    ]);
    const [, second] = fitLabel(`IDSE099 ${'x'.repeat(100)}`, 36);
    expect(second).toHaveLength(36);
    expect(second!.endsWith('…')).toBe(true);
    const chart = barChart('Rules', [{ label: 'IDSE018 spec-not-traced-to-intent', value: 3 }]);
    // The label column is as wide as 33 characters need (text ends 6 px before the bars).
    expect(chart).toMatch(
      /<tspan x="(\d+)"[^>]*>IDSE018 spec-not-traced-to-intent<\/tspan>.*<rect x="(\d+)"/,
    );
    const [, textX, barX] = /<tspan x="(\d+)".*<rect x="(\d+)"/.exec(chart)!;
    expect(Number(textX)).toBeGreaterThanOrEqual(33 * 7);
    expect(Number(barX)).toBe(Number(textX) + 6);
  });

  it('name a scope once each: a repository without its owner, a workspace without its own project again', () => {
    const title = (scope: Partial<AgencyReport['scope']>) =>
      scopeTitle({ scope: { archived: false, ...scope } } as AgencyReport);
    expect(title({})).toBe('All clients');
    expect(title({ client: 'acme' })).toBe('acme');
    expect(title({ client: 'acme', repository: 'acme/docs', project: 'pay', session: 's1' })).toBe(
      'acme / docs / pay / s1',
    );
    expect(title({ client: 'acme', repository: 'acme/shortlinks', project: 'shortlinks' })).toBe(
      'acme / shortlinks',
    );
    expect(title({ client: 'acme', repository: 'other-org/docs', project: 'pay' })).toBe(
      'acme / other-org/docs / pay',
    );
  });
});
