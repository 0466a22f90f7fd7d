import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach } from 'vitest';
import { runCli } from '../../cli/app.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `idse …` in-process with captured streams, a fixed clock and no colours. */
export async function idse(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(args, {
    stdin: process.stdin,
    stdout,
    stderr,
    env: { NO_COLOR: '1', IDSE_CACHE_DIR: CACHE_DIR, ...options.env },
    colorDepth: 1,
    cwd: options.cwd,
    now: () => new Date('2026-11-25T12:00:00Z'),
  });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

const made: string[] = [];

/** Caches of in-process runs go to one temp folder per test file, never into the workspace under test. */
const CACHE_DIR = mkdtempSync(join(tmpdir(), 'idse-test-cache-'));
afterAll(() => rmSync(CACHE_DIR, { recursive: true, force: true }));

/** A fresh temp folder, removed after the test. */
export function tempDir(prefix = 'idse-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
