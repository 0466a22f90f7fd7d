/**
 * The dashboard in a real browser (Debian's Chromium, headless): sign in with the form, read the charts
 * of the hand-worked history, click through client → project → session, show archived projects, and
 * not one console error (a style the Content-Security-Policy blocked would be one). Screenshots go to
 * test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { mirror, session, tenant } from '../../integration/store/fixtures.ts';
import { type DashboardFixture, launchBrowser, startDashboard } from './setup.ts';

const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts');
const database = useTestDatabase();
let f: DashboardFixture;
let browser: Browser;
beforeAll(async () => {
  f = await startDashboard(database().url);
  browser = await launchBrowser();
  mkdirSync(ARTIFACTS, { recursive: true });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

/** The values a chart draws, in order: bars' or points' data-value attributes. */
const values = (page: Page, chart: string, mark: 'rect' | 'circle') =>
  page
    .locator(`#${chart} svg ${mark}`)
    .evaluateAll((marks) => marks.map((m) => Number(m.getAttribute('data-value'))));

/** Cell texts of the table whose caption matches. */
const rowTexts = (page: Page, caption: RegExp) =>
  page
    .locator('table', { has: page.locator('caption', { hasText: caption }) })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));

describe('dashboard in Chromium', () => {
  it('signs in, draws the charts of the history, and drills down from client to project to session', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));

    const first = await page.goto(`${f.url}/dashboard`);
    expect(first?.status()).toBe(401);
    await page.getByLabel('Admin API key').fill(f.agencyKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${f.url}/dashboard`);
    expect(await page.locator('h1').textContent()).toBe('All clients');
    // The 401 of the first visit is logged by Chromium; from here on, nothing may be.
    expect(problems).toEqual([expect.stringContaining('status of 401')]);
    problems.length = 0;

    // Both tenants carry the same history: every count doubles, ratios stay.
    expect(await values(page, 'pass-rate', 'circle')).toEqual([60, 50]);
    expect(await values(page, 'funnel', 'rect')).toEqual([6, 6, 4, 2, 0, 0, 0]);
    // Only the steps some session was seen making: the rest have no time, and no bar of zero.
    expect(await values(page, 'cycle-times', 'rect')).toEqual([24, 168]);
    expect(await values(page, 'rules', 'rect')).toEqual([4, 2]);
    const markers = await values(page, 'markers', 'circle');
    expect(Math.max(...markers)).toBe(12);
    expect(markers.at(-1)).toBe(12);
    expect(await rowTexts(page, /^Open findings by rule$/)).toEqual([
      ['IDSE010', 'unresolved-input', '4'],
      ['IDSE012', 'requirement-without-task', '2'],
    ]);
    expect(await page.getByRole('img', { name: 'Sessions that reached each stage' }).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-agency.png'), fullPage: true });

    await page.getByRole('link', { name: f.a.tenant.login, exact: true }).click();
    await page.waitForURL(`${f.url}/dashboard/clients/${f.a.clientId}`);
    expect(await page.locator('h1').textContent()).toBe(f.a.tenant.login);
    expect((await rowTexts(page, /^Projects \(/)).map((r) => r[0])).toEqual(['ops', 'pay']);
    expect(await values(page, 'funnel', 'rect')).toEqual([3, 3, 2, 1, 0, 0, 0]);

    await page.getByRole('link', { name: 'pay', exact: true }).click();
    await page.waitForURL(`${f.url}/dashboard/projects/${f.a.projects.pay}`);
    expect((await rowTexts(page, /^Sessions \(/)).map((r) => r.slice(0, 4))).toEqual([
      ['s1', 'spec', 'draft', '2'],
      ['s2', 'context', 'draft', '1'],
    ]);
    // pay alone: W1 5 runs, 3 passed; W2 s1 failed.
    expect(await values(page, 'pass-rate', 'circle')).toEqual([60, 0]);

    await page.getByRole('link', { name: 's1', exact: true }).click();
    await page.waitForURL(`${f.url}/dashboard/sessions/${f.a.sessions.s1}`);
    const runs = await rowTexts(page, /^Newest runs \(/);
    expect(runs.map((r) => [r[0]!.slice(0, 10), r[3], r[4], r[7]])).toEqual([
      ['2026-03-10', 'spec', 'failed', '2'],
      ['2026-03-04', 'context', 'passed', '1'],
      ['2026-03-03', 'context', 'passed', '5'],
      ['2026-03-02', 'intent', 'failed', '3'],
    ]);
    expect(await values(page, 'pass-rate', 'circle')).toEqual([66.7, 0]);
    expect(
      await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('listitem').allTextContents(),
    ).toEqual(['Agency', f.a.tenant.login, 'docs / pay', 's1']);
    expect(await page.locator('h1').textContent()).toBe(`${f.a.tenant.login} / docs / pay / s1`);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-session.png'), fullPage: true });

    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('hides an archived project until asked to show archived ones', async () => {
    await f.store.setArchived({ repository: f.a.tenant.repo.full_name, project: 'ops', archived: true });
    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${f.a.adminKey}` },
    });
    const page = await context.newPage();
    await page.goto(`${f.url}/dashboard/clients/${f.a.clientId}`);
    expect((await rowTexts(page, /^Projects \(/)).map((r) => r[0])).toEqual(['pay']);
    await page.getByRole('link', { name: 'Show archived' }).click();
    await page.waitForURL(/archived=1/);
    expect((await rowTexts(page, /^Projects \(/)).map((r) => r[0])).toEqual([
      expect.stringMatching(/^ops \(archived \d{4}-\d\d-\d\d\)$/),
      'pay',
    ]);
    await page.getByRole('link', { name: /^ops/ }).click();
    expect(await page.locator('h1').textContent()).toBe(`${f.a.tenant.login} / docs / ops (archived)`);
    await context.close();
    await f.store.setArchived({ repository: f.a.tenant.repo.full_name, project: 'ops', archived: false });
  }, 60_000);

  it('fits its charts to the data: one week of runs is a short axis with a point, labels whole, no titles twice', async () => {
    // A client whose only runs are this week, in a workspace named after its project (as synced ones are).
    const t = tenant('fresh');
    const repo = { ...t.repo, full_name: `${t.login}/shortlinks` };
    const { client_id } = await f.store.recordInstallation(t.installation({ repositories_added: [repo] }));
    await f.store.recordValidation({
      ...mirror(t, {
        delivery: 'now',
        commit: `${t.login}-now`,
        at: new Date().toISOString(),
        sessions: [
          session('shortlinks', 'kickoff', {
            stage: 'spec',
            errors: 3,
            markers: 2,
            rules: { IDSE018: 1, IDSE013: 1, IDSE012: 1 },
          }),
        ],
      }),
      repository: repo,
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      extraHTTPHeaders: { authorization: `Bearer ${f.agencyKey}` },
    });
    const page = await context.newPage();
    await page.goto(`${f.url}/dashboard/clients/${client_id}`);
    const [project] = await f.store.agencyProjects({ clientId: client_id });
    await page.goto(`${f.url}/dashboard/projects/${project!.project_id}`);
    expect(await page.locator('h1').textContent()).toBe(`${t.login} / shortlinks`);
    expect(await page.title()).toBe(`${t.login} / shortlinks · IDSE Agency Core`);

    // Eight weeks, not a year of zeros: one point, the axis from seven weeks back to this week.
    expect(await values(page, 'pass-rate', 'circle')).toEqual([0]);
    const axis = await page.locator('#pass-rate svg text[data-axis]').allTextContents();
    const monday = (weeksBack: number) => {
      const d = new Date();
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) - 7 * weeksBack);
      return d.toISOString().slice(0, 10);
    };
    expect(axis).toEqual([monday(7), monday(0)]);
    expect(await rowTexts(page, /^Validation runs by week/)).toHaveLength(8);
    expect(await values(page, 'markers', 'circle')).toEqual([0, 0, 0, 0, 0, 0, 0, 2]);
    // No step made yet: said in words, no bars of zero.
    expect(await values(page, 'cycle-times', 'rect')).toEqual([]);
    expect(await page.locator('#cycle-times svg [data-empty]').textContent()).toBe(
      'No data yet: no session has gone from one stage to the next',
    );

    // Every rule label whole, inside its chart (the longest rule name included).
    const labels = await page.locator('#rules svg text[data-label]').evaluateAll((texts) =>
      texts.map((text) => {
        const box = (
          text as unknown as {
            getBBox(): { x: number; width: number };
            ownerSVGElement: { width: { baseVal: { value: number } } };
          }
        ).getBBox();
        const svg = (
          text as unknown as {
            getBBox(): { x: number; width: number };
            ownerSVGElement: { width: { baseVal: { value: number } } };
          }
        ).ownerSVGElement!.width.baseVal.value;
        return { text: text.textContent, inside: box.x >= 0 && box.x + box.width <= svg };
      }),
    );
    expect(labels).toEqual([
      { text: 'IDSE012 requirement-without-task', inside: true },
      { text: 'IDSE013 unknown-requirement', inside: true },
      { text: 'IDSE018 spec-not-traced-to-intent', inside: true },
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-one-week.png'), fullPage: true });
    await context.close();
  }, 60_000);
});
