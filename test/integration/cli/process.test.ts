/**
 * The built CLI as a process, where only a real process shows it: colour decided by the streams,
 * not by TERM; a reader that closes the pipe early.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.ts';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));
const ESCAPE = '\u001b[';

const run = (args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, [CLI, ...args], {
    cwd: tempDir(),
    env: { PATH: process.env.PATH, TERM: 'xterm-256color', ...env },
    encoding: 'utf8',
  });

describe('idse as a process', () => {
  it('writes no colour codes into a pipe, whatever TERM says, and does when FORCE_COLOR asks', () => {
    for (const args of [['agency', 'archive'], ['report', '--format', 'pdf'], ['no-such-command']]) {
      const piped = run(args, {});
      expect({ args, code: piped.status }).toEqual({ args, code: 2 });
      expect(piped.stdout + piped.stderr).not.toContain(ESCAPE);
    }
    const forced = run(['agency', 'archive'], { FORCE_COLOR: '1' });
    expect(forced.status).toBe(2);
    expect(forced.stderr).toContain(ESCAPE);
  });

  it('stops quietly, with its exit code, when the reader closes the pipe early (`| head`)', async () => {
    const corpus = fileURLToPath(new URL('../../fixtures/corpus/idse-orchestrator', import.meta.url));
    const child = spawn(process.execPath, [CLI, 'export', '--root', corpus], {
      env: { PATH: process.env.PATH },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Like `head -c 1`: take the first bytes, then close the reading end.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
