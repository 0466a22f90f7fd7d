/**
 * A run after a change takes unchanged projects from the project memo (src/run/check.ts,
 * checkByProject): its report must be the one a run without any cache gives, on real workspaces.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../../bench/generate-corpus.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/corpus/', import.meta.url));

/** The first tasks doc under `dir`, walking in name order. */
function firstTasksDoc(dir: string): string {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = firstTasksDoc(path);
      if (found) return found;
    } else if (entry.name === 'tasks.md') return path;
  }
  return '';
}

async function report(root: string, env: NodeJS.ProcessEnv, ...extra: string[]): Promise<string> {
  const run = await idse(['validate', '--format', 'json', '--root', root, ...extra], { cwd: root, env });
  expect(run.stderr).toBe('');
  return run.stdout;
}

describe('a run after a change', () => {
  const corpora: Array<[string, (root: string) => void]> = [
    ['agency', (root) => cpSync(join(FIXTURES, 'agency'), root, { recursive: true })],
    ['idse-orchestrator', (root) => cpSync(join(FIXTURES, 'idse-orchestrator'), root, { recursive: true })],
    ['generated, 40 sessions', (root) => generateCorpus({ sessions: 40, seed: 7, out: root })],
  ];
  for (const [name, make] of corpora) {
    it(`reports what a run without caches reports: ${name}`, async () => {
      const root = tempDir('idse-memo-');
      make(root);
      const env = { IDSE_CACHE_DIR: tempDir('idse-cache-') };
      expect(await report(root, env)).toBe(await report(root, env, '--no-cache'));
      const tasks = firstTasksDoc(root);
      expect(tasks).not.toBe('');
      writeFileSync(
        tasks,
        `${readFileSync(tasks, 'utf8')}\n- [ ] T9.9: Export the audit log (Owner: @codex) FR-404\n`,
      );
      expect(await report(root, env)).toBe(await report(root, env, '--no-cache'));
    }, 120_000);
  }
});
