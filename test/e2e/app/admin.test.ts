/**
 * Agency admin while the App runs on the embedded store. PGlite lets one process open a data dir, so
 * `idse agency …` reaches the store through the running App's admin API (found in the data dir), or by
 * the App's address and an agency-wide admin key; either way it prints what it prints on the store.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { idse, tempDir } from '../../helpers/cli.ts';
import type { GitHubStandin } from '../../helpers/github-standin.ts';
import { ZERO } from './calls.ts';
import { cleanSessions } from './docs.ts';
import { appKeys, SECRET, standinFor, TARGET } from './harness.ts';
import { startApp } from './process.ts';
import { TestRepo } from './repo.ts';
import { pushPayload, sign } from './webhooks.ts';

const BUNDLE = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

let stop: (() => Promise<number | null>) | undefined;
let github: GitHubStandin | undefined;
let repo: TestRepo | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  await github?.close();
  repo?.remove();
});

const json = (run: { code: number; stdout: string; stderr: string }) => {
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout);
};

describe('idse agency while idse app holds the embedded store', () => {
  it('keys create, sessions --json, publish and report succeed through the App, as they print without it', async () => {
    if (!existsSync(BUNDLE)) return expect.fail(`${BUNDLE} is missing: run \`node scripts/build.ts\` first`);
    const { privateKey, publicKey } = appKeys();
    repo = TestRepo.create();
    const sha = repo.commit(cleanSessions('s1'));
    github = await standinFor(repo, publicKey);
    const cwd = tempDir('idse-admin-');
    const app = await startApp(
      BUNDLE,
      {
        APP_ID: String(TARGET.appId),
        PRIVATE_KEY: Buffer.from(privateKey).toString('base64'),
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: github.host,
        GHE_PROTOCOL: 'http',
        IDSE_DATA_DIR: '.idse-data',
      },
      cwd,
    );
    stop = app.stop;
    const agency = (...args: string[]) => idse(['agency', ...args], { cwd });

    const body = JSON.stringify(pushPayload(TARGET, { before: ZERO, after: sha }));
    const delivered = await fetch(`${app.url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': 'admin-delivery-1',
        'x-hub-signature-256': sign(SECRET, body),
      },
      body,
    });
    expect(delivered.status).toBe(200);

    // The data dir is the App's; every command below goes through it.
    const sessions = async () => json(await agency('sessions', '--json'));
    await expect
      .poll(sessions, { timeout: 30_000, interval: 300 })
      .toEqual([expect.objectContaining({ repository: 'acme/docs', session: 's1', errors: 0 })]);

    const doctor = await idse(['doctor', '--json'], { cwd, env: { PATH: process.env.PATH } });
    expect(JSON.parse(doctor.stdout).checks[3]).toMatchObject({
      name: 'store',
      status: 'ok',
      detail: expect.stringContaining(`held by idse app at ${app.url}: agency commands go through it`),
    });

    const key = json(await agency('keys', 'create', '--admin', '--label', 'ops', '--json'));
    expect(key).toMatchObject({ scope: 'admin', client_id: null, label: 'ops' });
    const dashboard = await fetch(`${app.url}/dashboard`, {
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('acme');
    // The session page shows its doc: read from GitHub (the stand-in) and rendered by the bundle's worker.
    const [session] = await sessions();
    const page = await fetch(`${app.url}/dashboard/sessions/${session.session_id}`, {
      headers: { authorization: `Bearer ${key.key}` },
    });
    const html = await page.text();
    expect(html).toContain('<div class="doc"><h1>Intent: session s1</h1>');
    expect(html).toContain(
      `href="http://${github.host}/acme/docs/blob/${sha}/projects/demo/sessions/s1/intents/intent.md"`,
    );

    writeFileSync(join(cwd, 'constitution.md'), '# Constitution\n\nArticle I.\n');
    const published = json(
      await agency(
        'publish',
        '--client',
        'acme',
        'constitution.md',
        '--as',
        '.idse/constitution.md',
        '--json',
      ),
    );
    expect(published).toMatchObject({
      duplicate: false,
      kind: 'constitution',
      path: '.idse/constitution.md',
    });

    const report = json(await agency('report', '--json'));
    expect(report).toMatchObject({ schema: 'idse.agency-report/v1', now: { sessions: 1 } });
    const text = await agency('report');
    expect(text.code).toBe(0);

    // By address and admin key, from anywhere.
    const elsewhere = tempDir('idse-admin-remote-');
    const remote = await idse(['agency', 'clients', '--json'], {
      cwd: elsewhere,
      env: { IDSE_AGENCY_URL: app.url, IDSE_ADMIN_KEY: key.key },
    });
    expect(json(remote).map((c: { client: string }) => c.client)).toEqual(['acme']);
    expect(existsSync(join(elsewhere, '.idse-data'))).toBe(false);

    const viaApp = await sessions();
    expect(await app.stop()).toBe(0);
    stop = undefined;
    expect(existsSync(join(cwd, '.idse-data', 'idse-app.json'))).toBe(false);

    // Without the App the commands open the store themselves and print the same.
    expect(await sessions()).toEqual(viaApp);
    expect((await agency('report')).stdout).toBe(text.stdout);
    const keys = json(await agency('keys', 'list', '--json'));
    expect(keys).toEqual([expect.objectContaining({ id: key.id, label: 'ops' })]);
  }, 90_000);
});
