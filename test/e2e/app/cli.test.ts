import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { idse, tempDir } from '../../helpers/cli.ts';
import type { GitHubStandin } from '../../helpers/github-standin.ts';
import { BLOB, CREATE, TOKEN, TREE, UPDATE, ZERO } from './calls.ts';
import { cleanSessions } from './docs.ts';
import { appKeys, SECRET, standinFor, TARGET } from './harness.ts';
import { startApp } from './process.ts';
import { TestRepo } from './repo.ts';
import { pushPayload, sign } from './webhooks.ts';

const SOURCE = fileURLToPath(new URL('../../../cli/main.ts', import.meta.url));
/** The bundle `npm test` builds first: Probot has to work from it too. */
const BUNDLE = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

describe('idse app: configuration', () => {
  it('missing settings exit 2 with one line naming them', async () => {
    const run = await idse(['app'], { cwd: process.cwd(), env: { PORT: '3000' } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET');
    expect(run.stderr).toContain('[usage]');
  });

  it('bad values exit 2 too', async () => {
    const env = { APP_ID: '1', PRIVATE_KEY: 'not a key', WEBHOOK_SECRET: 's' };
    const badKey = await idse(['app'], { cwd: process.cwd(), env });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain('PRIVATE_KEY is not a PEM key');
    const badPort = await idse(['app'], { cwd: process.cwd(), env: { ...env, PORT: 'eighty' } });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('PORT must be a port number');
    const missingFile = await idse(['app'], {
      cwd: process.cwd(),
      env: { APP_ID: '1', PRIVATE_KEY_PATH: 'no/such.pem', WEBHOOK_SECRET: 's' },
    });
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain('[config-unreadable]');
  });
});

const webhook = (url: string, delivery: string, body: string) =>
  fetch(`${url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': delivery,
      'x-hub-signature-256': sign(SECRET, body),
    },
    body,
  });

describe('idse app: serving', () => {
  let child: ChildProcess | undefined;
  let github: GitHubStandin | undefined;
  let repo: TestRepo | undefined;
  afterEach(async () => {
    child?.kill('SIGKILL');
    await github?.close();
    repo?.remove();
  });

  /** A repository with one clean session at HEAD, and GitHub's stand-in serving it. */
  async function standin(): Promise<{ sha: string; env: NodeJS.ProcessEnv }> {
    const { privateKey, publicKey } = appKeys();
    repo = TestRepo.create();
    const sha = repo.commit(cleanSessions('s1'));
    github = await standinFor(repo, publicKey);
    const env = {
      APP_ID: String(TARGET.appId),
      PRIVATE_KEY: Buffer.from(privateKey).toString('base64'),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: 'http',
    };
    return { sha, env };
  }

  it.each([
    ['cli/main.ts', SOURCE],
    ['dist/cli.js', BUNDLE],
  ])(
    '%s serves webhooks and /healthz on PORT, talks to GHE_HOST, and stops cleanly on SIGTERM',
    async (_, main) => {
      if (!existsSync(main)) return expect.fail(`${main} is missing: run \`node scripts/build.ts\` first`);
      const { sha, env } = await standin();
      const app = await startApp(main, env);
      child = app.child;

      expect(await (await fetch(`${app.url}/healthz`)).text()).toBe('ok\n');
      const body = JSON.stringify(pushPayload(TARGET, { before: ZERO, after: sha }));
      expect((await webhook(app.url, 'cli-delivery-1', body)).status).toBe(200);
      expect(await app.stop()).toBe(0);
      expect(github!.violations).toEqual([]);
      expect(github!.counts()).toEqual({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 1, [UPDATE]: 1 });
      expect(github!.checkRuns[0]).toMatchObject({ conclusion: 'success' });
      expect(app.lines.map((l) => JSON.parse(l).msg as string).join('\n')).toContain('acme/docs@');
    },
  );

  // A new PGlite data dir (initdb and every migration) and a whole App lifecycle: 15–20 s on a quiet
  // machine, past the default 30 s when the machine is shared.
  it('dist/cli.js with an embedded store: mirrors the check, serves the dashboard and the sync gateway to keys only', async () => {
    if (!existsSync(BUNDLE)) return expect.fail(`${BUNDLE} is missing: run \`node scripts/build.ts\` first`);
    const { sha, env } = await standin();
    const cwd = tempDir('idse-app-store-');
    const created = await idse(['agency', 'keys', 'create', '--admin', '--json'], { cwd });
    expect(created.code).toBe(0);
    const adminKey = JSON.parse(created.stdout).key as string;

    const app = await startApp(BUNDLE, { ...env, IDSE_DATA_DIR: '.idse-data' }, cwd);
    child = app.child;
    expect(app.lines.join('\n')).toContain('mirroring into the pglite store; jobs kept in its database');
    const body = JSON.stringify(pushPayload(TARGET, { before: ZERO, after: sha }));
    expect((await webhook(app.url, 'store-delivery-1', body)).status).toBe(200);

    // Keys only: no credential, a wrong key.
    expect((await fetch(`${app.url}/dashboard`, { redirect: 'manual' })).status).toBe(401);
    const token = await fetch(`${app.url}/mcp/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'idse_sync_not-a-key', project: 'p' }),
    });
    expect(token.status).toBe(401);
    expect(await token.json()).toMatchObject({ error: { code: 'key-invalid' } });

    // The durable job validates and mirrors; the admin key then sees the client on the dashboard.
    const dashboard = async () =>
      (await fetch(`${app.url}/dashboard`, { headers: { authorization: `Bearer ${adminKey}` } })).text();
    await expect.poll(dashboard, { timeout: 20_000, interval: 200 }).toContain(TARGET.owner);
    expect(await app.stop()).toBe(0);
    expect(github!.violations).toEqual([]);
    expect(github!.checkRuns[0]).toMatchObject({ conclusion: 'success' });

    // The store outlives the process: the admin commands read the same data dir.
    const sessions = await idse(['agency', 'sessions', '--json'], { cwd });
    expect(sessions.code).toBe(0);
    expect(JSON.parse(sessions.stdout)).toEqual([
      expect.objectContaining({ repository: `${TARGET.owner}/${TARGET.repo}`, session: 's1', errors: 0 }),
    ]);
  }, 90_000);
});

describe('app.yml', () => {
  it('asks for the least privilege the App uses and subscribes to the events it handles', () => {
    const manifest = parse(readFileSync(new URL('../../../app.yml', import.meta.url), 'utf8'));
    expect(manifest.default_permissions).toEqual({
      checks: 'write',
      contents: 'read',
      pull_requests: 'read',
      metadata: 'read',
    });
    expect([...manifest.default_events].sort()).toEqual(['check_run', 'check_suite', 'pull_request', 'push']);
    expect(manifest.hook_attributes.url).toMatch(/\/api\/github\/webhooks$/);
  });
});
