/**
 * Several `idse` processes editing one session at once: every read of its metadata sees whole JSON,
 * and no edit is lost (the project lock serialises read-modify-write).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { idse, tempDir } from '../../helpers/cli.ts';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

function runProcess(cwd: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH, USER: 'tester', IDSE_CACHE_DIR: join(cwd, '.cache') },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('concurrent edits of one session', () => {
  it('never leave a half-written session.json and lose no change', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root, env: { USER: 'tester' } });
    const metadata = join(root, 'projects/demo/sessions/kickoff/metadata');
    const tags = Array.from({ length: 8 }, (_, i) => `t${i}`);
    const runs = Promise.all([
      ...tags.map((tag) => runProcess(root, ['session', 'tag', tag])),
      runProcess(root, ['session', 'add-collaborator', 'bob']),
      runProcess(root, ['session', 'set-owner', 'alice']),
    ]);
    let finished = false;
    void runs.then(() => {
      finished = true;
    });
    let reads = 0;
    const torn: string[] = [];
    while (!finished) {
      const text = readFileSync(join(metadata, 'session.json'), 'utf8');
      try {
        JSON.parse(text);
      } catch {
        torn.push(text);
      }
      reads++;
      await new Promise((r) => setTimeout(r, 2));
    }
    const results = await runs;
    expect(results.map((r) => r.stderr)).toEqual(results.map(() => ''));
    expect(results.map((r) => r.code)).toEqual(results.map(() => 0));
    expect(torn).toEqual([]);
    expect(reads).toBeGreaterThan(10);
    const record = JSON.parse(readFileSync(join(metadata, 'session.json'), 'utf8'));
    expect([...record.tags].sort()).toEqual(tags);
    expect(record.owner).toBe('alice');
    expect(record.collaborators.map((c: { name: string }) => c.name)).toEqual(['bob']);
    // meta.md was edited by the same processes, in step.
    expect(readFileSync(join(metadata, 'meta.md'), 'utf8')).toMatch(/\ntags: \[ (t\d, ){7}t\d \]\n/);
    // No temp file or lock is left behind.
    expect(readdirSync(metadata).sort()).toEqual(['.owner', 'meta.md', 'session.json']);
    expect(readdirSync(join(root, 'projects/demo')).sort()).toEqual([
      'CURRENT_SESSION',
      'session_state.json',
      'sessions',
    ]);
  });
});
