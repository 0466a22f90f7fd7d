/**
 * Who sees what, over HTTP: no credentials 401; a client's admin sees its own client and gets 404 for
 * another tenant's client, project and session (as for ids that don't exist); the agency-wide admin
 * sees all; the login form's cookie; no store configured 503.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenIssuer } from '../../../src/auth/tokens.ts';
import { createDashboard } from '../../../src/dashboard/routes.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';
import { type DashboardFixture, startDashboard, startServer } from './setup.ts';

const database = useTestDatabase();
let f: DashboardFixture;
beforeAll(async () => {
  f = await startDashboard(database().url);
}, 60_000);
afterAll(async () => {
  await f?.close();
});

async function get(path: string, auth?: { bearer?: string; cookie?: string }) {
  const headers: Record<string, string> = {};
  if (auth?.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  if (auth?.cookie) headers.cookie = auth.cookie;
  const response = await fetch(`${f.url}${path}`, { headers, redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${f.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    redirect: 'manual',
  });

describe('dashboard access', () => {
  it('answers 401 with the login form without credentials, or with keys that are not admin keys', async () => {
    const none = await get('/dashboard');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="idse-dashboard"');
    expect(none.text).toContain('<form class="login" method="post" action="/dashboard/login">');
    for (const bearer of [
      'not-a-key',
      f.syncKey,
      `idse_admin_${'A'.repeat(43)}`,
      f.a.adminKey.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
    ]) {
      const r = await get(`/dashboard/clients/${f.a.clientId}`, { bearer });
      expect({ bearer, status: r.status }).toEqual({ bearer, status: 401 });
      expect(r.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
    // A token the App signed for another audience (the sync gateway's) is no dashboard session.
    const { token } = await f.tokens.issue(
      { client_id: null, project: null, scope: 'admin', key_id: 1 },
      { audience: 'idse-sync', ttlSeconds: 60 },
    );
    expect((await get('/dashboard', { bearer: token })).status).toBe(401);
    const foreign = TokenIssuer.fromSecret('another-signer-another-signer-0123456789');
    const forged = await foreign.issue(
      { client_id: null, project: null, scope: 'admin', key_id: 1 },
      { audience: 'idse-dashboard', ttlSeconds: 60 },
    );
    expect((await get('/dashboard', { cookie: `idse_dashboard=${forged.token}` })).status).toBe(401);
  });

  it("keeps a client's admin to its own client: another tenant's pages are 404, like pages that don't exist", async () => {
    const bearer = f.a.adminKey;
    const own = [
      '/dashboard',
      `/dashboard/clients/${f.a.clientId}`,
      `/dashboard/projects/${f.a.projects.pay}`,
      `/dashboard/sessions/${f.a.sessions.s1}`,
    ];
    for (const path of own)
      expect({ path, status: (await get(path, { bearer })).status }).toEqual({ path, status: 200 });
    const others = [
      `/dashboard/clients/${f.b.clientId}`,
      `/dashboard/projects/${f.b.projects.pay}`,
      `/dashboard/sessions/${f.b.sessions.s1}`,
      `/dashboard/clients/${crypto.randomUUID()}`,
      '/dashboard/projects/999999999',
      '/dashboard/sessions/not-a-number',
      '/dashboard/nothing-here',
    ];
    const answers = await Promise.all(
      others.map(async (path) => ({ path, ...(await get(path, { bearer })) })),
    );
    for (const { path, status, text } of answers) {
      expect({ path, status }).toEqual({ path, status: 404 });
      expect(text).not.toContain(f.b.tenant.login);
    }
    // The same body for another tenant's project as for a project that doesn't exist.
    expect(answers[1]!.text).toBe(answers[4]!.text);
    const overview = await get('/dashboard', { bearer });
    expect(overview.text).toContain(f.a.tenant.login);
    expect(overview.text).not.toContain(f.b.tenant.login);
  });

  it('lets the agency-wide admin see every client, and escapes what comes from the database', async () => {
    const bearer = f.agencyKey;
    const overview = await get('/dashboard', { bearer });
    expect(overview.status).toBe(200);
    expect(overview.text).toContain(f.a.tenant.login);
    expect(overview.text).toContain(f.b.tenant.login);
    expect(overview.text).not.toContain('<script>');
    expect(overview.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(overview.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-/,
    );
    expect(overview.headers.get('server-timing')).toMatch(/^store;dur=\d+\.\d, total;dur=\d+\.\d$/);
    expect((await get(`/dashboard/clients/${f.b.clientId}`, { bearer })).status).toBe(200);
    expect((await get(`/dashboard/sessions/${f.b.sessions.s2}`, { bearer })).status).toBe(200);
    expect((await get('/dashboard?since=yesterday', { bearer })).status).toBe(400);
  });

  it('bounds what a query string can ask for: the history reaches back three years, lists come in pages', async () => {
    const bearer = f.agencyKey;
    const ago = (weeks: number) => new Date(Date.now() - weeks * 7 * 86400_000).toISOString().slice(0, 10);
    for (const since of ['0001-01-01', ago(157), '2999-01-01', '2026-02-30']) {
      const refused = await get(`/dashboard?since=${since}`, { bearer });
      expect({ since, status: refused.status }).toEqual({ since, status: 400 });
      expect(refused.text).toContain('invalid-query');
    }
    const threeYears = await get(`/dashboard?since=${ago(155)}`, { bearer });
    expect(threeYears.status).toBe(200);
    for (const page of ['0', '-1', 'x', '9999999'])
      expect((await get(`/dashboard?page=${page}`, { bearer })).status).toBe(400);

    const before = (await f.store.agencyClients()).length;
    for (let i = 0; i < 101; i++)
      await f.store.createClient({ name: `paging-${String(i).padStart(3, '0')}` });
    const rows = (html: string) => html.match(/href="\/dashboard\/clients\//g)?.length ?? 0;
    const first = await get('/dashboard', { bearer });
    expect(rows(first.text)).toBe(100);
    expect(first.text).toContain(`Clients (1–100 of ${before + 101})`);
    expect(first.text).toContain('<a href="?page=2" rel="next">Next →</a>');
    const second = await get('/dashboard?page=2', { bearer });
    expect(rows(second.text)).toBe(before + 1);
    expect(second.text).toContain(`Clients (101–${before + 101} of ${before + 101})`);
    expect(second.text).toContain('rel="prev"');
  });

  it('signs in with the form: an HttpOnly, SameSite=Strict session cookie; wrong keys and other sites refused', async () => {
    const bad = await post('/dashboard/login', `key=${encodeURIComponent(f.syncKey)}`);
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('that is not a valid admin API key');
    const crossSite = await post('/dashboard/login', `key=${encodeURIComponent(f.a.adminKey)}`, {
      origin: 'https://evil.example',
    });
    expect(crossSite.status).toBe(403);

    const ok = await post('/dashboard/login', `key=${encodeURIComponent(f.a.adminKey)}`, { origin: f.url });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/dashboard');
    const setCookie = ok.headers.get('set-cookie')!;
    expect(setCookie).toMatch(
      /^idse_dashboard=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=28800; Path=\/dashboard; HttpOnly; SameSite=Strict$/,
    );
    const cookie = setCookie.split(';')[0]!;
    expect((await get(`/dashboard/clients/${f.a.clientId}`, { cookie })).status).toBe(200);
    expect((await get(`/dashboard/clients/${f.b.clientId}`, { cookie })).status).toBe(404);

    const out = await post('/dashboard/logout', '', { cookie, origin: f.url });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^idse_dashboard=; Max-Age=0;/);
  });

  it('signing out ends the session on the server: a copy of the cookie no longer signs in', async () => {
    const signedIn = await post('/dashboard/login', `key=${encodeURIComponent(f.a.adminKey)}`, {
      origin: f.url,
    });
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const other = await post('/dashboard/login', `key=${encodeURIComponent(f.a.adminKey)}`, {
      origin: f.url,
    });
    const otherCookie = other.headers.get('set-cookie')!.split(';')[0]!;
    expect((await get('/dashboard', { cookie })).status).toBe(200);
    expect((await post('/dashboard/logout', '', { cookie, origin: f.url })).status).toBe(303);
    const after = await get('/dashboard', { cookie });
    expect(after.status).toBe(401);
    expect(after.text).toContain('this session has ended');
    // Only that session: another sign-in with the same key goes on.
    expect((await get('/dashboard', { cookie: otherCookie })).status).toBe(200);
    // Signing out without a session, or with one already ended, just clears the cookie.
    expect((await post('/dashboard/logout', '', { origin: f.url })).status).toBe(303);
    expect((await post('/dashboard/logout', '', { cookie, origin: f.url })).status).toBe(303);
  });

  it('takes forms from its own origin only: scheme, host and port', async () => {
    const { host, port } = new URL(f.url);
    const form = `key=${encodeURIComponent(f.a.adminKey)}`;
    for (const origin of [
      `https://${host}`,
      `http://${host.replace(/:\d+$/, '')}:${Number(port) + 1}`,
      'null',
    ]) {
      const refused = await post('/dashboard/login', form, { origin });
      expect({ origin, status: refused.status }).toEqual({ origin, status: 403 });
    }
    expect((await post('/dashboard/login', form, { origin: f.url })).status).toBe(303);
    // Behind a TLS proxy that says so, the dashboard's origin is https.
    const proxied = await post('/dashboard/login', form, {
      origin: `https://${host}`,
      'x-forwarded-proto': 'https',
    });
    expect(proxied.status).toBe(303);
  });

  it('stops taking a revoked key, and ends the sessions it opened', async () => {
    const [record] = (await f.store.listApiKeys(f.b.clientId)).filter((k) => k.scope === 'admin');
    expect((await get('/dashboard', { bearer: f.b.adminKey })).status).toBe(200);
    const signedIn = await post('/dashboard/login', `key=${encodeURIComponent(f.b.adminKey)}`, {
      origin: f.url,
    });
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    expect((await get('/dashboard', { cookie })).status).toBe(200);
    expect(await f.store.revokeApiKey(record!.id)).toBe(true);
    expect((await get('/dashboard', { bearer: f.b.adminKey })).status).toBe(401);
    expect((await get('/dashboard', { cookie })).status).toBe(401);
  });

  it('answers 503 store-not-configured when the App runs without a store', async () => {
    const { app, url } = await startServer([
      createDashboard({ store: undefined, tokens: TokenIssuer.fromSecret('x'.repeat(32)) }),
    ]);
    try {
      const response = await fetch(`${url}/dashboard`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('<code>store-not-configured</code>');
    } finally {
      await app.close();
    }
  });
});
