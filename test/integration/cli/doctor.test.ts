/**
 * `idse doctor` on real folders, a real git, the real Postgres and embedded store: each check passes
 * where the thing is in place, and fails with its fix where it is not.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idse, tempDir } from '../../helpers/cli.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';

const PATH = process.env.PATH ?? '';
const database = useTestDatabase('idse_doctor');

async function doctor(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const run = await idse(['doctor', '--json'], { cwd, env: { PATH, ...env } });
  const report = JSON.parse(run.stdout) as {
    ok: boolean;
    checks: { name: string; status: string; detail: string; fix?: string }[];
  };
  return { code: run.code, ok: report.ok, checks: Object.fromEntries(report.checks.map((c) => [c.name, c])) };
}

describe('idse doctor', () => {
  it('passes a fresh folder: Node, git, default config, an embedded store not created yet; the App is skipped', async () => {
    const cwd = tempDir();
    const run = await doctor(cwd);
    expect(run.code).toBe(0);
    expect(run.checks).toMatchObject({
      node: { status: 'ok' },
      git: { status: 'ok', detail: expect.stringMatching(/^git version/) },
      config: { status: 'ok', detail: `none in ${cwd}: the defaults apply` },
      store: { status: 'ok', detail: expect.stringContaining('not created yet') },
      app: { status: 'skip', fix: expect.stringContaining('docs/app.md') },
    });
    const text = await idse(['doctor'], { cwd, env: { PATH } });
    expect(text.stdout.split('\n')[0]).toMatch(/^ok {4}node {4}v\d+/);
  });

  it('fails each missing or broken piece with its fix, and exits 1', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, '.github'));
    writeFileSync(join(cwd, '.github/idse.yml'), 'rules:\n  no-such-rule: error\n');
    const run = await doctor(cwd, {
      PATH: join(cwd, 'no-bin'),
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere',
      APP_ID: '12',
      WEBHOOK_SECRET: 's',
    });
    expect(run.code).toBe(1);
    expect(run.ok).toBe(false);
    expect(run.checks.git).toMatchObject({
      status: 'fail',
      detail: 'git is not on PATH',
      fix: expect.stringContaining('install git'),
    });
    expect(run.checks.config).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/idse\.yml:2: .*no-such-rule.*\[config-invalid\]$/),
    });
    expect(run.checks.store).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^postgres at 127\.0\.0\.1:1\/nowhere: .*\[store-unavailable\]$/),
      fix: 'start the database, or correct its address',
    });
    expect(run.checks.app).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('PRIVATE_KEY (or PRIVATE_KEY_PATH)'),
    });
  });

  it('opens the store the environment names', async () => {
    const run = await doctor(tempDir(), { DATABASE_URL: database().url });
    expect(run.checks.store).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^postgres at .*: opens, migrated, answers$/),
    });
  });
});
