import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Report } from '../../../src/report/schema.ts';
import { cacheFile } from '../../../src/run/facts-cache.ts';
import { loadReport } from '../../../src/run/load.ts';
import { tempDir } from '../../helpers/cli.ts';

/** A workspace with one session, and a cache folder of its own. */
function workspace(): { root: string; env: NodeJS.ProcessEnv } {
  const root = tempDir();
  const file = join(root, 'projects/p/sessions/s/intents/intent.md');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '# Intent\n\n## Goal\n\nExport invoices as CSV.\n');
  return { root, env: { IDSE_CACHE_DIR: join(root, '.cache') } };
}

/**
 * Marks the remembered report, so a run answered from the memo is told apart from one that ran
 * the rules: only the memo knows the marked root.
 */
function markRemembered(root: string, env: NodeJS.ProcessEnv): void {
  const file = cacheFile(root, 'run', 'json', env);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { key: string; report: Report };
  writeFileSync(file, JSON.stringify({ ...stored, report: { ...stored.report, root: 'remembered' } }));
}

describe('the run memo', () => {
  it('answers an unchanged run, and not one under another profile', async () => {
    const { root, env } = workspace();
    await loadReport({ cwd: root, env });
    markRemembered(root, env);
    expect((await loadReport({ cwd: root, env })).report.root).toBe('remembered');
    const strict = await loadReport({ cwd: root, env, profile: 'strict' });
    expect(strict.report.root).toBe(root);
    expect(strict.report.profile).toBe('strict');
  });

  it('does not answer a run with another rule set', async () => {
    const { root, env } = workspace();
    await loadReport({ cwd: root, env });
    markRemembered(root, env);
    vi.resetModules();
    vi.doMock(import('../../../src/rules/registry.ts'), async (original) => {
      const registry = await original();
      return { ...registry, RULES: registry.RULES.slice(1) };
    });
    try {
      const fewer = await import('../../../src/run/load.ts');
      const { report } = await fewer.loadReport({ cwd: root, env });
      expect(report.root).toBe(root);
    } finally {
      vi.doUnmock('../../../src/rules/registry.ts');
      vi.resetModules();
    }
  });

  it('is neither written nor read with memo: false, while the facts cache still is', async () => {
    const { root, env } = workspace();
    await loadReport({ cwd: root, env, memo: false });
    expect(existsSync(cacheFile(root, 'run', 'json', env))).toBe(false);
    expect(existsSync(cacheFile(root, 'facts', 'bin', env))).toBe(true);
    await loadReport({ cwd: root, env });
    markRemembered(root, env);
    expect((await loadReport({ cwd: root, env, memo: false })).report.root).toBe(root);
  });
});
