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
