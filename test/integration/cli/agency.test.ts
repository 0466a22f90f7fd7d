/**
 * `idse agency clients|projects|sessions|archive|unarchive|report` against the real Postgres, over the
 * hand-worked history of the store tests (test/integration/store/agency.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgencyReport } from '../../../src/analytics/agency-report.ts';
import { openPostgresStore } from '../../../src/store/backends/postgres.ts';
import type { Store } from '../../../src/store/store.ts';
import { idse, tempDir } from '../../helpers/cli.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { agencyHistory } from '../store/agency.ts';
import { type Tenant, tenant } from '../store/fixtures.ts';

const database = useTestDatabase('idse_cli_agency');
let store: Store;
let a: Tenant;
let b: Tenant;
beforeAll(async () => {
  store = await openPostgresStore({ connectionString: database().url });
  a = tenant('acme');
  b = tenant('beta');
  await agencyHistory(store, a);
  await agencyHistory(store, b);
}, 60_000);
afterAll(async () => {
  await store?.close();
});

const run = (...args: string[]) =>
  idse(args, { cwd: tempDir(), env: { IDSE_STORE: 'postgres', DATABASE_URL: database().url } });

describe('idse agency', () => {
  it('lists clients, projects and sessions as tables and as JSON', async () => {
    const clients = await run('agency', 'clients');
    expect(clients).toMatchObject({ code: 0, stderr: '' });
    const [head, ...rows] = clients.stdout.trimEnd().split('\n');
    expect(head).toMatch(
      /^CLIENT +ID +REPOS +PROJECTS +SESSIONS +COMPLIANCE +MARKERS +RUNS +PASS RATE +LAST RUN$/,
    );
    expect(rows.map((r) => r.split(/\s{2,}/))).toEqual([
      [a.login, expect.any(String), '1', '2', '3', '33.3% (1/3)', '6', '7', '57.1% (4/7)', '2026-03-10'],
      [b.login, expect.any(String), '1', '2', '3', '33.3% (1/3)', '6', '7', '57.1% (4/7)', '2026-03-10'],
    ]);
    const json = JSON.parse((await run('agency', 'clients', '--json')).stdout) as { client: string }[];
    expect(json.map((c) => c.client)).toEqual([a.login, b.login]);

    const projects = await run('agency', 'projects', '--client', a.login.toUpperCase());
    expect(projects.code).toBe(0);
    expect(projects.stdout).toContain(`${a.repo.full_name}/ops`);
    expect(projects.stdout).toContain(`${a.repo.full_name}/pay`);
    expect(projects.stdout).not.toContain(b.login);

    const sessions = JSON.parse(
      (await run('agency', 'sessions', '--project', `${a.repo.full_name}/pay`, '--json')).stdout,
    ) as { session: string; stage: string; errors: number }[];
    expect(sessions.map((s) => [s.session, s.stage, s.errors])).toEqual([
      ['s1', 'spec', 2],
      ['s2', 'context', 1],
    ]);
  });

  it('archives a project and a session out of the lists and the report, and brings them back', async () => {
    const archived = await run('agency', 'archive', `${a.repo.full_name}/ops`);
    expect(archived).toMatchObject({ code: 0, stderr: '' });
    expect(archived.stdout).toMatch(
      new RegExp(`^Archived project ${a.repo.full_name}/ops \\(since \\d{4}-\\d\\d-\\d\\d\\)\\.\\n$`),
    );
    const session = await run('agency', 'archive', `${a.repo.full_name}/pay/s2`, '--json');
    expect(JSON.parse(session.stdout)).toMatchObject({
      kind: 'session',
      session: 's2',
      archived_at: expect.any(String),
    });

    const visible = (await run('agency', 'sessions', '--client', a.login)).stdout;
    expect(visible).toContain(`${a.repo.full_name}/pay/s1`);
    expect(visible).not.toContain('/s2');
    expect(visible).not.toContain('/ops/');
    const all = (await run('agency', 'sessions', '--client', a.login, '--all')).stdout;
    expect(all).toMatch(new RegExp(`${a.repo.full_name}/pay/s2 .* archived \\d{4}-\\d\\d-\\d\\d`));
    const report = JSON.parse(
      (await run('agency', 'report', '--client', a.login, '--json')).stdout,
    ) as AgencyReport;
    expect(report.now.sessions).toBe(1);

    expect((await run('agency', 'unarchive', `${a.repo.full_name}/ops`)).stdout).toBe(
      `Project ${a.repo.full_name}/ops is back in the default views.\n`,
    );
    expect((await run('agency', 'unarchive', `${a.repo.full_name}/pay/s2`)).code).toBe(0);
    expect((await run('agency', 'sessions', '--client', a.login)).stdout).toContain('/pay/s2');

    const missing = await run('agency', 'archive', `${a.repo.full_name}/nope`);
    expect(missing).toMatchObject({ code: 2, stderr: `idse: no project ${a.repo.full_name}/nope [usage]\n` });
    expect((await run('agency', 'archive', 'just-a-name')).code).toBe(2);
  });

  it('reports a client, a project or a session as text, markdown, JSON and an HTML file', async () => {
    const text = await run('agency', 'report', '--client', a.login, '--since', '2026-03-02');
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toContain(`IDSE agency report: ${a.login}\n`);
    expect(text.stdout).toMatch(/Compliance \(sessions without errors\) +33\.3% \(1\/3\)/);
    expect(text.stdout).toMatch(/Validation pass rate \(runs since 2026-03-02\) +57\.1% \(4\/7\)/);
    expect(text.stdout).toMatch(/context → spec +7\.0 d \(1 session\)/);
    expect(text.stdout).toMatch(/IDSE010 unresolved-input +2/);

    const markdown = await run(
      'agency',
      'report',
      '--project',
      `${a.repo.full_name}/pay`,
      '--format',
      'markdown',
    );
    expect(markdown.stdout).toContain(`# IDSE agency report: ${a.login} / docs / pay\n`);
    expect(markdown.stdout).toContain('| Open [REQUIRES INPUT] markers | 6 |');

    const session = JSON.parse(
      (
        await run(
          'agency',
          'report',
          '--session',
          `${a.repo.full_name}/pay/s1`,
          '--json',
          '--since',
          '2026-03-02',
        )
      ).stdout,
    ) as AgencyReport;
    expect(session.schema).toBe('idse.agency-report/v1');
    expect(session.history.passRate).toEqual({ count: 2, total: 4, ratio: 0.5 });
    expect(session.history.initTime).toEqual({ medianHours: 24, samples: 1 });

    const cwd = tempDir();
    const html = await idse(['agency', 'report', '--format', 'html', '-o', 'agency.html'], {
      cwd,
      env: { IDSE_STORE: 'postgres', DATABASE_URL: database().url },
    });
    expect(html).toMatchObject({ code: 0, stdout: '' });
    const file = readFileSync(join(cwd, 'agency.html'), 'utf8');
    expect(file).toMatch(/^<!doctype html>/);
    // It says what it covers and when it was made (the CLI's clock in these tests).
    expect(file).toContain('<title>IDSE agency report: All clients, 2026-11-25 · IDSE Agency Core</title>');
    expect(file).toContain('<h1>IDSE agency report: All clients</h1>');
    expect(file).toContain('Made 2026-11-25 12:00 UTC from the agency store');
    expect(file).toContain('<section class="chart" id="funnel"');
    expect(file).toContain('data-label="IDSE010 unresolved-input" data-value="4"');

    expect((await run('agency', 'report', '--client', 'nobody')).code).toBe(2);
    expect((await run('agency', 'report', '--since', 'May')).code).toBe(2);
  });
});
