import { describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../../src/config/schema.ts';
import { gitBlobId } from '../../../src/model/blob-id.ts';
import { factsKeyOf, factsSettingsOf } from '../../../src/model/facts-key.ts';
import type { SourceFile } from '../../../src/model/source.ts';
import { check, checkByProject } from '../../../src/run/check.ts';
import { prefetchFacts } from '../../../src/run/facts-pool.ts';
import { MemoryFactsCache } from '../../../src/run/memory-facts-cache.ts';
import type { ProjectMemo } from '../../../src/run/run-memo.ts';
import { VERSION } from '../../../src/version.ts';

const file = (path: string, text: string): SourceFile => {
  const content = new TextEncoder().encode(text);
  return { path, size: content.byteLength, content };
};

const INTENT = 'projects/p/sessions/s/intents/intent.md';
const SPEC = 'projects/p/sessions/s/specs/spec.md';
const OTHER = 'projects/p/sessions/t/intents/intent.md';
/** Docs of two sessions, each with an unresolved marker. */
const FILES = [
  file(INTENT, '# Intent\n\n## Goal\n\nExport invoices. [REQUIRES INPUT]\n'),
  file(SPEC, '# Spec\n\n## Overview\n\nCSV export. [REQUIRES INPUT]\n'),
  file(OTHER, '# Intent\n\n## Goal\n\nImport invoices. [REQUIRES INPUT]\n'),
];
const config = defaultConfig();
const filesOf = (diagnostics: readonly { file: string }[]) =>
  [...new Set(diagnostics.map((d) => d.file))].sort();

describe('check, the one engine run', () => {
  it('labels the report and stamps it with this version', async () => {
    const { report, diagnostics, workspace } = await check(
      { files: FILES, config },
      { label: 'acme/docs@abc' },
    );
    expect(report.root).toBe('acme/docs@abc');
    expect(report.tool.version).toBe(VERSION);
    expect(report.diagnostics).toEqual(diagnostics);
    expect(workspace.projects[0]?.sessions.map((s) => s.name)).toEqual(['s', 't']);
  });

  it('keeps the findings in the changed files, in the report too, and the report lists what changed', async () => {
    const changed = new Set([INTENT]);
    const { report, diagnostics } = await check({ files: FILES, config, changed }, { label: 'x' });
    expect(filesOf(diagnostics)).toEqual([INTENT]);
    expect(report.diagnostics).toEqual(diagnostics);
    expect(report.sessions.map((s) => s.session)).toEqual(['s']);
  });

  it('shows touched sessions whole in the report when asked (the App), judging the run on the change', async () => {
    const changed = new Set([INTENT]);
    const { report, diagnostics } = await check(
      { files: FILES, config, changed },
      { label: 'x', wholeSessions: true },
    );
    const all = await check({ files: FILES, config }, { label: 'x' });
    expect(filesOf(diagnostics)).toEqual([INTENT]);
    expect(report.diagnostics).toEqual(all.diagnostics);
    expect(filesOf(report.diagnostics)).toContain(OTHER);
  });

  it('drops findings outside the focus and lists only the sessions inside it', async () => {
    const focus = ['projects/p/sessions/t'];
    const { report, diagnostics } = await check({ files: FILES, config }, { label: 'x', focus });
    expect(filesOf(diagnostics)).toEqual([OTHER]);
    expect(report.sessions.map((s) => s.session)).toEqual(['t']);
    expect(report.scope).toEqual({ paths: focus });
  });

  describe('docs the source named by blob id only', () => {
    /** FILES as a walk with `idOnly` gives them: ids, no bytes. */
    const named = FILES.map(({ path, size, content }) => ({ path, size, oid: gitBlobId(content!) }));
    const reader = () => {
      const asked: string[][] = [];
      const readDocs = (files: readonly SourceFile[]) => {
        asked.push(files.map((f) => f.path));
        return files
          .map((f) => FILES.find((g) => g.path === f.path)!)
          .map((f) => ({ ...f, oid: gitBlobId(f.content!) }));
      };
      return { asked, readDocs };
    };

    it('reads them to parse them, and the report is the one their bytes give', async () => {
      const { asked, readDocs } = reader();
      const whole = await check({ files: FILES, config }, { label: 'x' });
      expect((await check({ files: named, config, readDocs }, { label: 'x' })).report).toEqual(whole.report);
      expect(asked).toEqual([[INTENT, OTHER, SPEC].sort()]);
      expect(await checkByProject({ files: named, config, readDocs }, { label: 'x' }, undefined, 0)).toEqual(
        whole.report,
      );
    });

    it('reads none whose facts are cached', async () => {
      const facts = new MemoryFactsCache();
      await check({ files: FILES, config }, { label: 'x', facts });
      const { asked, readDocs } = reader();
      const cached = await check({ files: named, config, readDocs }, { label: 'x', facts });
      expect(asked).toEqual([]);
      expect(cached.report.summary.errors + cached.report.summary.warnings).toBeGreaterThan(0);
      expect(facts.get(factsKeyOf(named[0]!, factsSettingsOf(config)))).toBeDefined();
    });

    it('reports a doc that changed since it was named, instead of parsing it under the old id', async () => {
      const readDocs = (files: readonly SourceFile[]) =>
        files.map(({ path }) => ({
          path,
          size: 0,
          problem: { kind: 'unreadable' as const, detail: 'changed' },
        }));
      const memo = { get: () => undefined, set: vi.fn() } as unknown as ProjectMemo;
      const report = await checkByProject({ files: named, config, readDocs }, { label: 'x' }, memo, 0);
      expect(report.diagnostics.map((d) => [d.code, d.file])).toEqual(
        [INTENT, OTHER, SPEC].sort().map((p) => ['IDSE001', p]),
      );
      // Shown, not remembered: the next run must not be answered with "changed".
      expect(memo.set).not.toHaveBeenCalled();
      await checkByProject({ files: named, config, readDocs: reader().readDocs }, { label: 'x' }, memo, 0);
      expect(memo.set).toHaveBeenCalledOnce();
    });
  });

  describe('batches', () => {
    /** 24 projects of 50 docs each (one session apiece). */
    const files = Array.from({ length: 24 }, (_, p) =>
      Array.from({ length: 50 }, (_, d) =>
        file(
          `projects/p${String(p).padStart(2, '0')}/sessions/s/specs/spec-${d}.md`,
          `# Spec ${d}\n\n## Goal\n\nShip.\n`,
        ),
      ),
    ).flat();

    it('keep two batches in flight and shrink towards the end, so the last one is checked soon after the parse', async () => {
      const sizes: number[] = [];
      let inFlight = 0;
      let most = 0;
      const workers = {
        prefetch: async (...args: Parameters<typeof prefetchFacts>) => {
          sizes.push(args[0].length);
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          const facts = await prefetchFacts(...args);
          inFlight--;
          return facts;
        },
      };
      const report = await checkByProject({ files, config }, { label: 'x', workers }, undefined, 0);
      expect(report).toEqual((await check({ files, config }, { label: 'x' })).report);
      expect(sizes.reduce((a, b) => a + b)).toBe(1_200);
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
      expect(sizes.at(-1)).toBeLessThanOrEqual(200);
      expect(most).toBe(2);
    });
  });
});
