/**
 * Progress lines of long commands, in a real terminal: the built CLI under `script` (util-linux),
 * which gives it a pseudo-terminal. On a terminal it draws and then clears one line on stderr; in CI,
 * for machines (--json, another format) or into a pipe it writes nothing of the kind.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWorkspace, type SyncHarness, startSyncHarness } from '../../e2e/sync/harness.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));
const LINE = '\r\u001b[2Kidse: ';

/**
 * The command in a pseudo-terminal; what the terminal showed (stdout and stderr alike). Not spawnSync:
 * the sync test's gateway runs in this process and must go on answering.
 */
async function onTerminal(cwd: string, args: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const child = spawn('script', ['-qec', `${process.execPath} ${CLI} ${args} >/dev/null`, '/dev/null'], {
    cwd,
    env: { PATH: process.env.PATH, TERM: 'xterm', HOME: cwd, IDSE_CACHE_DIR: tempDir('idse-cache-'), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let shown = '';
  child.stdout.on('data', (d: Buffer) => {
    shown += d;
  });
  await new Promise((resolve) => child.once('close', resolve));
  return shown;
}

/** The phases shown, in order, each once (a phase is redrawn every second with its time). */
const phases = (shown: string) =>
  shown
    .split(LINE)
    .slice(1)
    .map((part) => part.replace(/….*$/s, ''))
    .filter((phase, i, all) => phase !== all[i - 1]);

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness('pglite');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('progress on a terminal', () => {
  it('idse validate and idse report say what they are doing, then clear the line', async () => {
    // init writes nine session docs and the blueprint's blueprint.md.
    const repo = await initWorkspace('web');
    const validate = await onTerminal(repo.dir, 'validate');
    expect(phases(validate)).toEqual(['reading the workspace', 'parsing 10 docs', 'checking the rules']);
    expect(validate.endsWith('\r\u001b[2K')).toBe(true);
    expect(phases(await onTerminal(repo.dir, 'report --format html'))).toEqual([
      'reading the workspace',
      'parsing 10 docs',
      'checking the rules',
      'replaying the history: 1 commits',
    ]);
    repo.remove();
  });

  it('idse sync push says what it sends', async () => {
    const repo = await initWorkspace('web');
    const { key } = await h.client('progress', 'web');
    const shown = await onTerminal(repo.dir, 'sync push', { IDSE_AGENCY_URL: h.url, IDSE_API_KEY: key });
    expect(phases(shown)).toEqual([
      expect.stringMatching(/^sending the list of \d+ files of web@[0-9a-f]{7}$/),
      expect.stringMatching(
        /^sending (\d+) of \1 missing files \(0\.0 MB so far\); Agency Core validates them$/,
      ),
    ]);
    repo.remove();
  });

  it('writes none in CI, for machines, or into a pipe', async () => {
    const repo = await initWorkspace('web');
    expect(await onTerminal(repo.dir, 'validate', { CI: 'true' })).not.toContain(LINE);
    expect(await onTerminal(repo.dir, 'validate --format json')).not.toContain(LINE);
    expect(await onTerminal(repo.dir, 'report --format json')).not.toContain(LINE);
    const piped = await idse(['validate'], { cwd: repo.dir });
    expect(piped.stderr).toBe('');
    repo.remove();
  });
});
