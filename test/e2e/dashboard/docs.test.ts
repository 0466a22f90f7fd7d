/**
 * Docs on the session page: rendered from markdown with their findings inline, inert whatever the
 * doc says (checked on the DOM in Chromium: no script ran, no handler, no raw HTML, no javascript:
 * link), linked to the file at that commit on GitHub; read from GitHub with the App's installation
 * (the stand-in), and for a synced workspace from the store.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StoreMirror } from '../../../src/app/mirror/store-mirror.ts';
import { createPgliteStore, startPglite } from '../../../src/store/backends/pglite.ts';
import { migratedPgliteDump } from '../../integration/store/harness.ts';
import { ZERO } from '../app/calls.ts';
import { cleanIntent, intentPath } from '../app/docs.ts';
import { type Harness, startHarness, TARGET } from '../app/harness.ts';
import { installationPayload, pushPayload } from '../app/webhooks.ts';
import { initWorkspace, type SyncHarness, startSyncHarness } from '../sync/harness.ts';
import { dashboardOn, GITHUB_WEB, launchBrowser } from './setup.ts';

const HOSTILE = [
  '- Open point: [REQUIRES INPUT]',
  '',
  '<script>window.ran = true; alert("script")</script>',
  '',
  '<img src="x" onerror="window.ran = true">',
  '',
  '<div onclick="window.ran = true" id="raw">raw html</div>',
  '',
  '[click me](javascript:window.ran=true) and <a href="javascript:window.ran=true">inline</a>',
].join('\n');

let browser: Browser;
let h: Harness | undefined;
let sync: SyncHarness | undefined;
let pg: PGlite | undefined;
const closing: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
  await h?.close();
  await sync?.close();
  if (pg && !pg.closed) await pg.close();
  h = sync = pg = undefined;
});

describe('docs on the session page', () => {
  it('renders a GitHub repository’s doc, inert, with its findings inline and a link to it at that commit', async () => {
    pg = await startPglite({ loadDataDir: await migratedPgliteDump() });
    const store = createPgliteStore(pg);
    h = await startHarness({ app: { store: new StoreMirror(store) } });
    expect((await h.send('installation', installationPayload(TARGET, 'created'))).status).toBe(200);
    const path = intentPath('demo', 's1');
    const sha = h.repo.commit({ [path]: cleanIntent('faster reports', HOSTILE) });
    expect((await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }))).status).toBe(200);
    await h.settle();
    const app = h.app;
    const { url, key } = await dashboardOn(store, closing, (installationId) =>
      app.probot.auth(installationId),
    );
    const [session] = await store.agencySessions();

    const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${key}` } });
    closing.push(() => context.close());
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${url}/dashboard/sessions/${session!.session_id}`);
    const docs = page.locator('#docs');
    expect(await docs.locator('summary').allTextContents()).toEqual([
      `intent ${path} · 1 error, 0 warnings · open on GitHub`,
    ]);
    expect(await docs.getByRole('link', { name: 'open on GitHub' }).getAttribute('href')).toBe(
      `${GITHUB_WEB}/acme/docs/blob/${sha}/${path}`,
    );
    const doc = docs.locator('.doc');
    expect(await doc.locator('h1').textContent()).toBe('Intent: faster reports');
    // Inert: nothing of the doc's HTML came through, no handler, no script link; and nothing ran.
    const inert = await doc.evaluate((root) => ({
      scripts: root.querySelectorAll('script').length,
      raw: root.querySelectorAll('#raw, div, img').length,
      handlers: [...root.querySelectorAll('*')].filter((e) =>
        [...e.attributes].some((a) => /^on/i.test(a.name)),
      ).length,
      scriptLinks: [...root.querySelectorAll('a')].filter((a) =>
        /^\s*javascript:/i.test(a.getAttribute('href') ?? ''),
      ).length,
      ran: (globalThis as { ran?: boolean }).ran ?? false,
    }));
    expect(inert).toEqual({ scripts: 0, raw: 0, handlers: 0, scriptLinks: 0, ran: false });
    expect(dialogs).toEqual([]);
    // The finding sits right after the list item holding its line, and links to that line.
    const next = await doc
      .locator('ul', { hasText: 'Open point' })
      .evaluate((list) => list.nextElementSibling?.textContent ?? '');
    expect(next).toMatch(/^error IDSE010 line 26: /);
    expect(await doc.getByRole('link', { name: 'line 26' }).getAttribute('href')).toBe(
      `${GITHUB_WEB}/acme/docs/blob/${sha}/${path}#L26`,
    );
  }, 60_000);

  it('renders a synced workspace’s docs from the store, with no GitHub link', async () => {
    sync = await startSyncHarness('pglite');
    const repo = await initWorkspace('web');
    closing.push(async () => repo.remove());
    const { key: syncKey } = await sync.client('docs-sync', 'web');
    const { idse } = await import('../../helpers/cli.ts');
    const pushed = await idse(['sync', 'push'], {
      cwd: repo.dir,
      env: { IDSE_AGENCY_URL: sync.url, IDSE_API_KEY: syncKey },
    });
    expect(pushed.code).toBe(0);
    const { url, key } = await dashboardOn(sync.store, closing);
    const session = (await sync.store.agencySessions()).find((s) => s.session === 'kickoff');
    const response = await fetch(`${url}/dashboard/sessions/${session!.session_id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const html = await response.text();
    expect(html).toContain('as the client’s workspace synced it (not on GitHub)');
    expect(html).toMatch(
      /<summary><strong>intent<\/strong> <code>projects\/web\/sessions\/kickoff\/intents\/intent\.md<\/code>/,
    );
    expect(html).toMatch(/<div class="doc"><h1>Intent/);
    expect(html).not.toContain('open on GitHub');
    expect(html).not.toContain('Not shown:');
  }, 60_000);
});
