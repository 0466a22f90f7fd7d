/**
 * The default branch is the truth: a push to a work-in-progress branch, with errors, leaves the
 * session's state, runs and pass rate as the default branch has them, on the store and on the
 * dashboard; the branch is shown as one, with its own state and runs. The App over HTTP, signed
 * webhooks, the GitHub stand-in, an embedded store from the migrated dump.
 */
import type { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreMirror } from '../../../src/app/mirror/store-mirror.ts';
import { createPgliteStore, startPglite } from '../../../src/store/backends/pglite.ts';
import { migratedPgliteDump } from '../../integration/store/harness.ts';
import { dashboardOn } from '../dashboard/setup.ts';
import { ZERO } from './calls.ts';
import { cleanSessions, intentPath, intentWithMarkers } from './docs.ts';
import { type Harness, startHarness, TARGET } from './harness.ts';
import { installationPayload, pushPayload } from './webhooks.ts';

let h: Harness | undefined;
let pg: PGlite | undefined;
const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
  await h?.close();
  if (pg && !pg.closed) await pg.close();
});

describe('a branch push', () => {
  it('leaves the default branch as the session state, on the store and the dashboard; the branch is a branch', async () => {
    pg = await startPglite({ loadDataDir: await migratedPgliteDump() });
    const store = createPgliteStore(pg);
    h = await startHarness({ app: { store: new StoreMirror(store) } });
    expect((await h.send('installation', installationPayload(TARGET, 'created'))).status).toBe(200);

    const main = h.repo.commit(cleanSessions('s1'));
    expect((await h.send('push', pushPayload(TARGET, { before: ZERO, after: main }))).status).toBe(200);
    await h.settle();
    h.repo.checkout('wip', true);
    const wip = h.repo.commit({ [intentPath('demo', 's1')]: intentWithMarkers(3) }, 'work in progress');
    const branchPush = pushPayload(TARGET, { ref: 'refs/heads/wip', before: ZERO, after: wip });
    expect((await h.send('push', branchPush)).status).toBe(200);
    await h.settle();
    expect(h.github.checkRuns.map((r) => r.conclusion)).toEqual(['success', 'failure']);

    const [client] = await store.agencyClients();
    const [session] = await store.agencySessions({ clientId: client!.client_id });
    expect(session).toMatchObject({
      session: 's1',
      ref: 'refs/heads/main',
      commit_sha: main,
      errors: 0,
      runs: 1,
      passed_runs: 1,
      open_markers: 0,
    });
    expect(await store.agencyBranches({ sessionId: session!.session_id })).toEqual([
      expect.objectContaining({ ref: 'refs/heads/main', default: true, errors: 0, runs: 1 }),
      expect.objectContaining({ ref: 'refs/heads/wip', default: false, errors: 3, markers: 3, runs: 1 }),
    ]);

    const dashboard = await dashboardOn(store, closing);
    const page = async (path: string) => {
      const response = await fetch(`${dashboard.url}${path}`, {
        headers: { authorization: `Bearer ${dashboard.key}` },
      });
      expect(response.status).toBe(200);
      return response.text();
    };
    const project = await page(`/dashboard/projects/${session!.project_id}`);
    expect(project).toMatch(/<td><a [^>]+>s1<\/a><\/td><td>intent<\/td><td>[^<]*<\/td><td>0<\/td>/);
    const html = await page(`/dashboard/sessions/${session!.session_id}`);
    expect(html).toContain('<h2>Branches</h2>');
    expect(html).toMatch(
      /refs\/heads\/main<\/a><\/td><td><strong>default<\/strong><\/td><td>intent<\/td><td>[^<]*<\/td><td>0<\/td>/,
    );
    expect(html).toMatch(
      /refs\/heads\/wip<\/a><\/td><td>branch<\/td><td>intent<\/td><td>[^<]*<\/td><td><span class="fail">3<\/span><\/td>/,
    );
    expect(html).toContain('Newest runs (2)');
    const filtered = await page(`/dashboard/sessions/${session!.session_id}?ref=refs%2Fheads%2Fwip`);
    expect(filtered).toContain('Newest runs on refs/heads/wip (1)');
    expect(filtered).not.toContain(`<td>${main.slice(0, 7)}</td><td>intent</td><td><span class="pass">`);
  });
});
