import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { idse } from '../../helpers/cli.ts';
import { GitHubStandin } from '../../helpers/github-standin.ts';
import { BLOB, CREATE, TOKEN, TREE, UPDATE, ZERO } from './calls.ts';
import { cleanSessions } from './docs.ts';
import { appKeys, SECRET, TARGET } from './harness.ts';
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

describe('idse app: serving', () => {
  let child: ChildProcess | undefined;
  let github: GitHubStandin | undefined;
  let repo: TestRepo | undefined;
  afterEach(async () => {
    child?.kill('SIGKILL');
    await github?.close();
    repo?.remove();
  });

  it.each([
    ['cli/main.ts', SOURCE],
    ['dist/cli.js', BUNDLE],
  ])(
    '%s serves webhooks and /healthz on PORT, talks to GHE_HOST, and stops cleanly on SIGTERM',
    async (_, main) => {
      if (!existsSync(main)) return expect.fail(`${main} is missing: run \`node scripts/build.ts\` first`);
      const { privateKey, publicKey } = appKeys();
      repo = TestRepo.create();
      const sha = repo.commit(cleanSessions('s1'));
      github = await GitHubStandin.start({
        repoDir: repo.dir,
        owner: TARGET.owner,
        repo: TARGET.repo,
        appId: TARGET.appId,
        installationId: TARGET.installationId,
        publicKey,
      });
      child = spawn(process.execPath, [main, 'app'], {
        env: {
          PATH: process.env.PATH,
          APP_ID: String(TARGET.appId),
          PRIVATE_KEY: Buffer.from(privateKey).toString('base64'),
          WEBHOOK_SECRET: SECRET,
          GHE_HOST: github.host,
          GHE_PROTOCOL: 'http',
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const lines: string[] = [];
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d;
      });
      const url = await new Promise<string>((resolve, reject) => {
        let buffered = '';
        child!.stdout!.on('data', (d: Buffer) => {
          buffered += d;
          const parts = buffered.split('\n');
          buffered = parts.pop()!;
          for (const line of parts) {
            lines.push(line);
            const found = /listening on (http:\/\/[^/\s]+)/.exec(line);
            if (found) resolve(found[1]!);
          }
        });
        child!.once('exit', (code) => reject(new Error(`idse app exited ${code}: ${stderr}`)));
      });

      expect(await (await fetch(`${url}/healthz`)).text()).toBe('ok\n');
      const body = JSON.stringify(pushPayload(TARGET, { before: ZERO, after: sha }));
      const response = await fetch(`${url}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': 'cli-delivery-1',
          'x-hub-signature-256': sign(SECRET, body),
        },
        body,
      });
      expect(response.status).toBe(200);
      // SIGTERM: the App stops taking requests, finishes the validation it started, and exits 0.
      const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(github.violations).toEqual([]);
      expect(github.counts()).toEqual({ [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 1, [UPDATE]: 1 });
      expect(github.checkRuns[0]).toMatchObject({ conclusion: 'success' });
      expect(lines.map((l) => JSON.parse(l).msg as string).join('\n')).toContain('acme/docs@');
    },
  );
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
