/**
 * Issue 20's pathological markdown, as one session's docs, validated by the built CLI in a process
 * whose heap is capped at 256 MB: each doc is one IDSE028 finding, the session's other doc is
 * validated as usual, and the run neither runs out of memory nor stalls. Before the limits, these
 * docs took from 9.5 s to over 200 s each, and up to 3.5 GB.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../src/report/schema.ts';
import { tempDir } from '../../helpers/cli.ts';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));
const S = 'projects/p/sessions/s';

const table = (columns: number, rows: number) =>
  `| ${'a | '.repeat(columns)}\n|${' - |'.repeat(columns)}\n${`| ${'b | '.repeat(columns)}\n`.repeat(rows)}`;

const PATHOLOGICAL: Record<string, string> = {
  'emphasis-mixed.md': `${'*_'.repeat(25_000)}${'_*'.repeat(25_000)}\n`,
  'strong-runs.md': `${'**a'.repeat(30_000)}${'a**'.repeat(30_000)}\n`,
  'emphasis-open.md': `${'*a'.repeat(50_000)}\n`,
  'deep-list.md': Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- a`).join('\n'),
  'setext.md': 'a\n=\n'.repeat(20_000),
  'wide-table.md': table(550, 550),
  'carriage-returns.md': '\r'.repeat(1_000_000),
  'quotes.md': `${'>'.repeat(10_000)} a\n`,
  'nested-items.md': `${'- '.repeat(10_000)}a\n`,
};

describe('pathological markdown', () => {
  it('is reported as too complex, one finding per doc, within 256 MB and in seconds', () => {
    const root = tempDir();
    const put = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    put(`${S}/intents/intent.md`, '# Intent: s\n\n## Goal\n\n[REQUIRES INPUT]\n');
    for (const [name, text] of Object.entries(PATHOLOGICAL)) put(`${S}/specs/${name}`, text);

    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      ['--max-old-space-size=256', CLI, 'validate', '--format', 'json', '--no-cache'],
      { cwd: root, env: { PATH: process.env.PATH }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const seconds = (performance.now() - started) / 1000;

    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const tooComplex = report.diagnostics.filter((d) => d.code === 'IDSE028').map((d) => d.file);
    expect(tooComplex).toEqual(
      Object.keys(PATHOLOGICAL)
        .map((name) => `${S}/specs/${name}`)
        .sort(),
    );
    expect(report.diagnostics.filter((d) => d.code === 'IDSE010').map((d) => d.file)).toEqual([
      `${S}/intents/intent.md`,
    ]);
    // Nine docs that took minutes each; the scan refuses them all before parsing.
    expect(seconds).toBeLessThan(2 * Object.keys(PATHOLOGICAL).length);
  });
});
