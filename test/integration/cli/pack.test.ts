import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
// dist/ is built by the test command before the suite; --ignore-scripts keeps pack from rebuilding it
// under other tests' feet. npm runs under whichever node is first on PATH: make it ours (Node 24), not the system's.
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
  npm_config_loglevel: 'error',
};

describe('the npm package', () => {
  it('packs into a tarball that installs with no network and runs as `idse`', () => {
    const out = tempDir('idse-pack-');
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', out, '--silent'], {
      cwd: REPO,
      env,
      stdio: 'pipe',
    });
    const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
    expect(tarball).toMatch(/^idse-\d+\.\d+\.\d+\.tgz$/);

    const prefix = join(out, 'global');
    // --offline: the package must need nothing beyond itself (templates and deps are inside).
    execFileSync(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(out, tarball!)],
      { env, stdio: 'pipe' },
    );
    const bin = join(prefix, 'node_modules/.bin/idse');
    const run = (args: string[], cwd: string) =>
      spawnSync(bin, args, { cwd, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8' });

    expect(run(['--version'], out).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const work = tempDir('idse-packed-ws-');
    expect(run(['init', 'demo'], work).status).toBe(0);
    const validate = run(['validate', '--no-cache'], work);
    expect(validate.status).toBe(1);
    expect(validate.stdout).toContain('projects/demo/sessions/kickoff/intents/intent.md:');
    expect(run(['rules'], work).stdout).toContain('IDSE012  requirement-without-task');
    // The embedded store starts from the installed package alone (PGlite's wasm and data ship with it).
    const stored = spawnSync(bin, ['agency', 'clients', 'add', 'acme'], {
      cwd: work,
      env: { ...env, NO_COLOR: '1', IDSE_DATA_DIR: join(work, 'store') },
      encoding: 'utf8',
    });
    expect({ status: stored.status, stderr: stored.stderr }).toEqual({ status: 0, stderr: '' });
    expect(stored.stdout).toMatch(/^Added client acme \([0-9a-f-]{36}\)\n$/);
  }, 120_000);
});
