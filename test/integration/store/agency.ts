/**
 * The agency reads (lists, runs, metrics) and archiving, on every backend, over a small history whose
 * answers are worked out by hand below. Weeks are ISO weeks in UTC: 2026-03-02 is a Monday.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAgencyReport } from '../../../src/analytics/agency-report.ts';
import { STAGES } from '../../../src/pipeline/stages.ts';
import type { Store } from '../../../src/store/store.ts';
import { commitSha, mirror, session, type Tenant, tenant } from './fixtures.ts';
import { type Db, storeError } from './harness.ts';

const W1 = '2026-03-02';
const W2 = '2026-03-09';
const epoch = (iso: string) => Date.parse(iso) / 1000;

/**
 * Tenant A, repository docs, projects pay (s1, s2) and ops (s3), four deliveries; d4 arrives last but
 * carries the oldest-but-one commit (03-03), landing between d1 and d2 in commit order.
 *
 *   delivery  commit time   s1                         s2                         s3 (ops)
 *   d1        03-02 10:00   intent  1 err  3 markers   intent  0 err  0 markers
 *   d2        03-04 10:00   context 0 err  1 marker
 *   d3        03-10 10:00   spec    2 err  2 markers                              plan 0 err 0 markers
 *   d4 (late) 03-03 10:00   context 0 err  5 markers   context 1 err  4 markers
 *
 * Runs: W1 has d1 (s1 fail, s2 pass), d2 (s1 pass), d4 (s1 pass, s2 fail) = 5 runs, 3 passed;
 * W2 has d3 (s1 fail, s3 pass) = 2 runs, 1 passed.
 * Open markers at the end of a week, each session as its newest commit by then left it:
 * W1: s1 1 (03-04) + s2 4 (03-03) = 5; W2: s1 2 + s2 4 + s3 0 = 6.
 * Latest states: s1 spec 2 err (IDSE010 ×2), s2 context 1 err (IDSE012), s3 plan clean with 3 of 4
 * requirements aligned. Compliance 1/3; 7 runs, 4 passed.
 */
export async function agencyHistory(store: Store, t: Tenant): Promise<string> {
  const { client_id } = await store.recordInstallation(t.installation());
  const runs = [
    mirror(t, {
      delivery: 'd1',
      commit: `${t.login}-c1`,
      at: '2026-03-02T10:00:00Z',
      sessions: [
        session('pay', 's1', { stage: 'intent', errors: 1, markers: 3, rules: { IDSE010: 1 } }),
        session('pay', 's2', { stage: 'intent', markers: 0 }),
      ],
    }),
    mirror(t, {
      delivery: 'd2',
      commit: `${t.login}-c2`,
      at: '2026-03-04T10:00:00Z',
      sessions: [session('pay', 's1', { stage: 'context', markers: 1 })],
    }),
    mirror(t, {
      delivery: 'd3',
      commit: `${t.login}-c3`,
      at: '2026-03-10T10:00:00Z',
      sessions: [
        session('pay', 's1', { stage: 'spec', errors: 2, markers: 2, rules: { IDSE010: 2 } }),
        session('ops', 's3', {
          stage: 'plan',
          markers: 0,
          coverage: { requirements: 4, withTasks: 4, withTests: 3, aligned: 3 },
        }),
      ],
    }),
    mirror(t, {
      delivery: 'd4',
      commit: `${t.login}-c4`,
      at: '2026-03-03T10:00:00Z',
      sessions: [
        session('pay', 's1', { stage: 'context', markers: 5 }),
        session('pay', 's2', { stage: 'context', errors: 1, markers: 4, rules: { IDSE012: 1 } }),
      ],
    }),
  ];
  for (const run of runs) await store.recordValidation(run);
  return client_id;
}

export function describeAgency(get: () => { store: Store; db: Db }): void {
  describe('agency reads', () => {
    let a = '';
    let b = '';
    const ta = tenant('agency-a');
    const tb = tenant('agency-b');
    beforeAll(async () => {
      const { store } = get();
      a = await agencyHistory(store, ta);
      b = await agencyHistory(store, tb);
    }, 60_000);

    it('knows the stages in the order the engine does', async () => {
      const { rows } = await get().db.query<{ stages: string[] }>('select idse.stages() as stages');
      expect(rows).toEqual([{ stages: [...STAGES] }]);
    });

    it('lists clients, projects and sessions with their counts, confined to one client when asked', async () => {
      const { store } = get();
      expect(await store.agencyClients({ clientId: a })).toEqual([
        {
          client_id: a,
          client: ta.login,
          repositories: 1,
          projects: 2,
          sessions: 3,
          validated: 3,
          compliant: 1,
          requirements: 4,
          aligned: 3,
          open_markers: 6,
          runs: 7,
          passed_runs: 4,
          last_run_at: '2026-03-10T10:00:00.000000Z',
        },
      ]);
      const everyone = await store.agencyClients();
      expect(everyone.map((c) => c.client_id)).toEqual(expect.arrayContaining([a, b]));

      const projects = await store.agencyProjects({ clientId: a });
      expect(
        projects.map((p) => [p.project, p.sessions, p.compliant, p.open_markers, p.runs, p.passed_runs]),
      ).toEqual([
        ['ops', 1, 1, 0, 1, 1],
        ['pay', 2, 0, 6, 6, 3],
      ]);
      expect(projects[0]).toMatchObject({
        client_id: a,
        client: ta.login,
        repository: ta.repo.full_name,
        archived_at: null,
      });

      const pay = projects[1]!.project_id;
      const sessions = await store.agencySessions({ clientId: a, projectId: pay });
      expect(
        sessions.map((s) => ({
          session: s.session,
          stage: s.stage,
          errors: s.errors,
          open_markers: s.open_markers,
          runs: s.runs,
          passed_runs: s.passed_runs,
          commit_sha: s.commit_sha,
        })),
      ).toEqual([
        {
          session: 's1',
          stage: 'spec',
          errors: 2,
          open_markers: 2,
          runs: 4,
          passed_runs: 2,
          commit_sha: commitSha(`${ta.login}-c3`),
        },
        {
          session: 's2',
          stage: 'context',
          errors: 1,
          open_markers: 4,
          runs: 2,
          passed_runs: 1,
          commit_sha: commitSha(`${ta.login}-c4`),
        },
      ]);
      // B's client id confines the list to B: A's project is not there.
      expect(await store.agencySessions({ clientId: b, projectId: pay })).toEqual([]);
    });

    it('lists the runs of a session newest first by commit time', async () => {
      const { store } = get();
      const s1 = (await store.agencySessions({ clientId: a })).find((s) => s.session === 's1');
      const runs = await store.agencyRuns({ sessionId: s1!.session_id, clientId: a });
      expect(
        runs.map((r) => [r.committed_at.slice(0, 10), r.stage, r.errors, r.markers, r.passed, r.rules]),
      ).toEqual([
        ['2026-03-10', 'spec', 2, 2, false, { IDSE010: 2 }],
        ['2026-03-04', 'context', 0, 1, true, {}],
        ['2026-03-03', 'context', 0, 5, true, {}],
        ['2026-03-02', 'intent', 1, 3, false, { IDSE010: 1 }],
      ]);
      expect(await store.agencyRuns({ sessionId: s1!.session_id, clientId: b })).toEqual([]);
      expect(await store.agencyRuns({ sessionId: s1!.session_id, clientId: a, limit: 1 })).toHaveLength(1);
    });

    it("computes a client's weekly series, funnel, findings and timelines", async () => {
      const { store } = get();
      const m = await store.agencyMetrics({ clientId: a, since: W1 });
      expect(m).not.toBeNull();
      expect(m!.scope).toEqual({ client_id: a, client: ta.login, archived: false });
      expect(m!.since).toBe(W1);
      expect(m!.now).toMatchObject({
        sessions: 3,
        compliant: 1,
        open_markers: 6,
        requirements: 4,
        aligned: 3,
      });
      expect(m!.weeks.slice(0, 2)).toEqual([
        { week: W1, runs: 5, passed_runs: 3, open_markers: 5 },
        { week: W2, runs: 2, passed_runs: 1, open_markers: 6 },
      ]);
      // Every week up to the current one, the markers carried forward.
      expect(m!.weeks.length).toBeGreaterThan(2);
      expect(m!.weeks.slice(2).every((w) => w.runs === 0 && w.open_markers === 6)).toBe(true);
      expect(m!.stages).toEqual({ spec: 1, context: 1, plan: 1 });
      expect(m!.rules).toEqual({ IDSE010: 2, IDSE012: 1 });
      // [first run, first pass, intent, context, spec, plan …] per session, by session id (s1, s2, s3).
      const t = epoch;
      const none = (n: number) => Array(n).fill(null);
      expect(m!.timelines).toEqual([
        [
          t('2026-03-02T10:00Z'),
          t('2026-03-03T10:00Z'),
          t('2026-03-02T10:00Z'),
          t('2026-03-03T10:00Z'),
          t('2026-03-10T10:00Z'),
          ...none(4),
        ],
        [
          t('2026-03-02T10:00Z'),
          t('2026-03-02T10:00Z'),
          t('2026-03-02T10:00Z'),
          t('2026-03-03T10:00Z'),
          ...none(5),
        ],
        [
          t('2026-03-10T10:00Z'),
          t('2026-03-10T10:00Z'),
          ...Array(4).fill(t('2026-03-10T10:00Z')),
          ...none(3),
        ],
      ]);
    });

    it('turns them into the metrics of the agency report, by the definitions idse report uses', async () => {
      const { store } = get();
      const report = buildAgencyReport((await store.agencyMetrics({ clientId: a, since: W1 }))!);
      expect(report.now).toEqual({
        sessions: 3,
        compliance: { count: 1, total: 3, ratio: 1 / 3 },
        alignment: { count: 3, total: 4, ratio: 0.75 },
        openMarkers: 6,
        topRules: [
          { code: 'IDSE010', rule: 'unresolved-input', count: 2 },
          { code: 'IDSE012', rule: 'requirement-without-task', count: 1 },
        ],
        // At least intent: all three; context: s1 (spec), s2, s3 (plan); spec: s1, s3; plan: s3.
        stageFunnel: [
          { stage: 'intent', sessions: 3 },
          { stage: 'context', sessions: 3 },
          { stage: 'spec', sessions: 2 },
          { stage: 'plan', sessions: 1 },
          { stage: 'tasks', sessions: 0 },
          { stage: 'implementation', sessions: 0 },
          { stage: 'feedback', sessions: 0 },
        ],
      });
      expect(report.history.passRate).toEqual({ count: 4, total: 7, ratio: 4 / 7 });
      expect(report.history.weeks.slice(0, 2)).toEqual([
        { week: W1, passRate: { count: 3, total: 5, ratio: 0.6 }, openMarkers: 5 },
        { week: W2, passRate: { count: 1, total: 2, ratio: 0.5 }, openMarkers: 6 },
      ]);
      expect(report.history.weeks[2]!.passRate).toEqual({ count: 0, total: 0, ratio: null });
      // intent → context: s1 24 h (03-02 → 03-03, d4), s2 24 h → median 24. context → spec: s1 168 h
      // (03-03 → 03-10). s3 was first seen at plan: the steps it had made by then are not measured.
      expect(report.history.stageCycleTimes.map((c) => [c.stage, c.medianHours, c.samples])).toEqual([
        ['intent', 24, 2],
        ['context', 168, 1],
        ['spec', null, 0],
        ['plan', null, 0],
        ['tasks', null, 0],
        ['implementation', null, 0],
      ]);
      // Init: s1 24 h (first passing run 03-03), s2 and s3 pass at once → median 0 of [24, 0, 0].
      expect(report.history.initTime).toEqual({ medianHours: 0, samples: 3 });
    });

    it('narrows metrics to a project or a session, and answers null outside the client asked for', async () => {
      const { store } = get();
      const s1 = (await store.agencySessions({ clientId: a })).find((s) => s.session === 's1');
      const session = await store.agencyMetrics({ clientId: a, sessionId: s1!.session_id, since: W1 });
      expect(session!.scope).toMatchObject({ client_id: a, project: 'pay', session: 's1', archived: false });
      expect(session!.weeks.slice(0, 2)).toEqual([
        { week: W1, runs: 3, passed_runs: 2, open_markers: 1 },
        { week: W2, runs: 1, passed_runs: 0, open_markers: 2 },
      ]);
      const project = await store.agencyMetrics({ clientId: a, projectId: s1!.project_id, since: W1 });
      expect(project!.now).toMatchObject({ sessions: 2, open_markers: 6 });
      // Another client's ids, with B's client: nothing, not even whether they exist.
      expect(await store.agencyMetrics({ clientId: b, projectId: s1!.project_id })).toBeNull();
      expect(await store.agencyMetrics({ clientId: b, sessionId: s1!.session_id })).toBeNull();
      expect(await store.agencyMetrics({ clientId: crypto.randomUUID() })).toBeNull();
      // Agency-wide: both tenants (and whatever other tests wrote).
      const all = await store.agencyMetrics({ since: W1 });
      expect(all!.scope).toEqual({ archived: false });
      expect(all!.weeks[0]!.runs).toBeGreaterThanOrEqual(10);
      expect((await storeError(store.agencyMetrics({ since: 'last week' }))).code).toBe('invalid-payload');
    });

    it('archives a project and a session out of the default views, keeping their history', async () => {
      const { store } = get();
      const archived = await store.setArchived({
        repository: ta.repo.full_name.toUpperCase(),
        project: 'ops',
        archived: true,
      });
      expect(archived).toMatchObject({
        kind: 'project',
        client_id: a,
        project: 'ops',
        archived_at: expect.any(String),
      });
      const again = await store.setArchived({
        repository: ta.repo.full_name,
        project: 'ops',
        archived: true,
      });
      expect(again!.archived_at).toBe(archived!.archived_at);

      expect((await store.agencyProjects({ clientId: a })).map((p) => p.project)).toEqual(['pay']);
      const withArchived = await store.agencyProjects({ clientId: a, withArchived: true });
      expect(withArchived.map((p) => [p.project, p.archived_at !== null])).toEqual([
        ['ops', true],
        ['pay', false],
      ]);
      const m = await store.agencyMetrics({ clientId: a, since: W1 });
      expect(m!.now).toMatchObject({ sessions: 2, compliant: 0, requirements: 0 });
      expect(m!.weeks[1]).toEqual({ week: W2, runs: 1, passed_runs: 0, open_markers: 6 });
      // The archived project's own page still shows it, and its sessions.
      const ops = withArchived[0]!.project_id;
      const opsMetrics = await store.agencyMetrics({ clientId: a, projectId: ops, since: W1 });
      expect(opsMetrics!.scope.archived).toBe(true);
      expect(opsMetrics!.now.sessions).toBe(1);
      expect((await store.agencySessions({ clientId: a, projectId: ops })).map((s) => s.session)).toEqual([
        's3',
      ]);

      const s2 = await store.setArchived({
        repository: ta.repo.full_name,
        project: 'pay',
        session: 's2',
        archived: true,
      });
      expect(s2).toMatchObject({ kind: 'session', session: 's2' });
      expect((await store.agencySessions({ clientId: a })).map((s) => s.session)).toEqual(['s1']);
      expect((await store.agencyClients({ clientId: a }))[0]).toMatchObject({ sessions: 1, open_markers: 2 });

      await store.setArchived({ repository: ta.repo.full_name, project: 'ops', archived: false });
      await store.setArchived({
        repository: ta.repo.full_name,
        project: 'pay',
        session: 's2',
        archived: false,
      });
      expect((await store.agencyClients({ clientId: a }))[0]).toMatchObject({ sessions: 3, runs: 7 });

      expect(
        await store.setArchived({ repository: ta.repo.full_name, project: 'nope', archived: true }),
      ).toBeNull();
      expect(
        await store.setArchived({
          repository: ta.repo.full_name,
          project: 'pay',
          session: 'nope',
          archived: true,
        }),
      ).toBeNull();
      expect(
        await store.setArchived({
          repository: ta.repo.full_name,
          project: 'pay',
          archived: true,
          client_id: b,
        }),
      ).toBeNull();
      expect(
        (await storeError(store.setArchived({ repository: 'no-slash', project: 'p', archived: true }))).code,
      ).toBe('invalid-payload');
    });
  });
}
