import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../../bench/generate-corpus.ts';
import type { Report } from '../../../src/report/schema.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

// Guards speed and memory work on the pipeline (issue 19): every finding on the fixtures and on a
// generated corpus stays exactly as recorded. A rule change that moves findings on purpose updates
// the golden files with `npx vitest run test/integration/cli/findings-golden.test.ts -u`.
const FIXTURES = fileURLToPath(new URL('../../fixtures/corpus/', import.meta.url));
const golden = (name: string) => fileURLToPath(new URL(`../../fixtures/golden/${name}`, import.meta.url));

/**
 * One line per finding, in the report's order, then one per session with what facts feed its summary
 * (stage, markers, coverage): a doc whose facts came out short shows here even when no rule fires.
 */
async function findings(root: string, profile: string): Promise<string> {
  const run = await idse(
    ['validate', '--format', 'json', '--root', root, '--no-cache', '--profile', profile],
    {
      cwd: root,
    },
  );
  expect(run.stderr).toBe('');
  expect(run.code).not.toBe(2);
  const report = JSON.parse(run.stdout) as Report;
  const lines = report.diagnostics.map(
    (d) =>
      `${d.file}:${d.range?.start.line ?? 0}:${d.range?.start.column ?? 0} ${d.severity} ${d.code} ${d.message}`,
  );
  const sessions = report.sessions.map(
    (s) =>
      `${s.project}/${s.session} stage=${s.stage ?? 'none'} markers=${s.markers} ${JSON.stringify(s.coverage)}`,
  );
  return `${report.summary.files} files, ${lines.length} findings\n${[...lines, ...sessions].join('\n')}\n`;
}

describe('findings stay identical (golden files)', () => {
  for (const corpus of ['agency', 'idse-orchestrator']) {
    for (const profile of ['recommended', 'strict']) {
      it(`fixture ${corpus}, ${profile} profile`, async () => {
        await expect(await findings(join(FIXTURES, corpus), profile)).toMatchFileSnapshot(
          golden(`${corpus}.${profile}.txt`),
        );
      });
    }
  }

  // 40 sessions (360 docs) is past the CLI's inline threshold, so the worker pool parses them too.
  it('generated corpus, 40 sessions, seed 7, both profiles', async () => {
    const root = tempDir('idse-golden-');
    generateCorpus({ sessions: 40, seed: 7, out: root });
    for (const profile of ['recommended', 'strict'])
      await expect(await findings(root, profile)).toMatchFileSnapshot(golden(`generated-40.${profile}.txt`));
  }, 120_000);
});
