import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Report } from '../../../src/report/schema.ts';
import { cacheFile, factsFileKeys } from '../../../src/run/facts-cache.ts';
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

  it('does not answer a run after a doc changed, even to bytes of the same length', async () => {
    const { root, env } = workspace();
    await loadReport({ cwd: root, env });
    markRemembered(root, env);
    writeFileSync(
      join(root, 'projects/p/sessions/s/intents/intent.md'),
      '# Intent\n\n## Goal\n\nExport invoices as PDF.\n',
    );
    expect((await loadReport({ cwd: root, env })).report.root).toBe(root);
  });

  it('does not remember a run whose docs changed between the walk and their parse', async () => {
    const { root, env } = workspace();
    // A run with a facts cache to go by names docs by id and reads a changed one again to parse it
    // (a cold run keeps what it walks); the mock below has it changed once more by then.
    await loadReport({ cwd: root, env, memo: false });
    rmSync(cacheFile(root, 'projects', 'json', env), { force: true });
    writeFileSync(
      join(root, 'projects/p/sessions/s/intents/intent.md'),
      '# Intent\n\n## Goal\n\nExport invoices as PDF.\n',
    );
    vi.resetModules();
    vi.doMock(import('../../../src/run/sources/fs.ts'), async (original) => {
      const fs = await original();
      const changed = { kind: 'unreadable' as const, detail: 'changed while idse was reading the workspace' };
      return {
        ...fs,
        rereadFiles: (_root, files) => files.map(({ path }) => ({ path, size: 0, problem: changed })),
      };
    });
    try {
      const moving = await import('../../../src/run/load.ts');
      const { report } = await moving.loadReport({ cwd: root, env });
      expect(report.diagnostics.map((d) => d.code)).toContain('IDSE001');
    } finally {
      vi.doUnmock('../../../src/run/sources/fs.ts');
      vi.resetModules();
    }
    expect(existsSync(cacheFile(root, 'run', 'json', env))).toBe(false);
    expect(existsSync(cacheFile(root, 'projects', 'json', env))).toBe(false);
    const { report } = await loadReport({ cwd: root, env });
    expect(report.diagnostics.map((d) => d.code)).not.toContain('IDSE001');
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

/** Two projects, p and q; p's intent links to q's. */
function twoProjects(): {
  root: string;
  env: NodeJS.ProcessEnv;
  write: (path: string, text: string) => void;
} {
  const root = tempDir();
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(
    'projects/p/sessions/s/intents/intent.md',
    '# Intent\n\n## Goal\n\nExport invoices as CSV, as [q does](../../../../q/sessions/t/intents/intent.md).\n',
  );
  write('projects/q/sessions/t/intents/intent.md', '# Intent\n\n## Goal\n\nImport invoices from CSV.\n');
  return { root, env: { IDSE_CACHE_DIR: join(root, '.cache') }, write };
}

/** Marks every project's remembered part: a session summary taken from the memo shows the mark. */
function markProjects(root: string, env: NodeJS.ProcessEnv): void {
  const file = cacheFile(root, 'projects', 'json', env);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as {
    projects: Record<string, { part: { sessions: Array<{ session: string }> } }>;
  };
  for (const { part } of Object.values(stored.projects))
    for (const session of part.sessions) session.session = `${session.session} (remembered)`;
  writeFileSync(file, JSON.stringify(stored));
}

const sessionNames = (report: Report) => report.sessions.map((s) => s.session);

describe('the project memo', () => {
  it('re-checks only the project a change touched', async () => {
    const { root, env, write } = twoProjects();
    await loadReport({ cwd: root, env });
    markProjects(root, env);
    write('projects/p/sessions/s/intents/intent.md', '# Intent\n\n## Goal\n\nExport invoices as JSON.\n');
    expect(sessionNames((await loadReport({ cwd: root, env })).report)).toEqual(['s', 't (remembered)']);
  });

  it('keeps the facts of the projects it takes from the memo in the facts cache', async () => {
    const { root, env, write } = twoProjects();
    await loadReport({ cwd: root, env });
    write('projects/p/sessions/s/intents/intent.md', '# Intent\n\n## Goal\n\nExport invoices as JSON.\n');
    await loadReport({ cwd: root, env });
    expect(factsFileKeys(cacheFile(root, 'facts', 'bin', env)).size).toBe(2);
  });

  it('re-checks every project when a path comes or goes: links lead across projects', async () => {
    const { root, env } = twoProjects();
    const first = (await loadReport({ cwd: root, env })).report;
    expect(first.diagnostics.filter((d) => d.code === 'IDSE022')).toEqual([]);
    markProjects(root, env);
    rmSync(join(root, 'projects/q'), { recursive: true });
    const { report } = await loadReport({ cwd: root, env });
    expect(sessionNames(report)).toEqual(['s']);
    expect(report.diagnostics.filter((d) => d.code === 'IDSE022').map((d) => d.file)).toEqual([
      'projects/p/sessions/s/intents/intent.md',
    ]);
  });

  it('gives the report a run without memos gives, and keeps other projects through a run over one', async () => {
    const { root, env, write } = twoProjects();
    await loadReport({ cwd: root, env });
    write('projects/q/sessions/t/intents/intent.md', '# Intent\n\n## Goal\n\n[REQUIRES INPUT]\n');
    const focused = await loadReport({ cwd: root, env, paths: ['projects/q'] });
    expect(focused.report).toEqual(
      (await loadReport({ cwd: root, env, paths: ['projects/q'], memo: false })).report,
    );
    markProjects(root, env);
    write('projects/q/sessions/t/intents/intent.md', '# Intent\n\n## Goal\n\nImport invoices.\n');
    const whole = (await loadReport({ cwd: root, env })).report;
    expect(sessionNames(whole)).toEqual(['s (remembered)', 't']);
    expect({ ...whole, sessions: [] }).toEqual({
      ...(await loadReport({ cwd: root, env, memo: false })).report,
      sessions: [],
    });
  });

  it('orders findings as one run does when a project keeps docs at legacy stage-rooted paths', async () => {
    const { root, env, write } = twoProjects();
    write('projects/p/sessions/s/intents/intent.md', '# Intent\n\n## Goal\n\n[REQUIRES INPUT]\n');
    // Upstream's old layout: the stage folder first, so this path sorts before every `projects/` path.
    write('intents/projects/q/sessions/u/intent.md', '# Intent\n\n## Goal\n\n[REQUIRES INPUT]\n');
    const { report } = await loadReport({ cwd: root, env });
    expect(report.diagnostics.map((d) => d.file)[0]).toBe('intents/projects/q/sessions/u/intent.md');
    expect(report).toEqual((await loadReport({ cwd: root, env, memo: false })).report);
  });
});
