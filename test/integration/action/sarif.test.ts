import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.ts';
import { cliReport, runAction, SESSION, scaffold } from './harness.ts';

/** The official OASIS SARIF 2.1.0 schema (draft-07), vendored because tests run offline. */
const SARIF_SCHEMA = JSON.parse(
  readFileSync(new URL('../../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats is CommonJS; under NodeNext its callable plugin is the `default` member.
ajvFormats.default(ajv);
const validateSarif = ajv.compile(SARIF_SCHEMA);

describe('sarif-file', () => {
  it('writes a valid SARIF log with repository-relative paths and names it in the outputs', async () => {
    const checkout = tempDir('idse-action-');
    const root = join(checkout, 'docs');
    mkdirSync(root);
    await scaffold(root);
    const cli = await cliReport(root);

    const run = runAction({
      checkout,
      inputs: { path: 'docs', 'sarif-file': 'reports/idse.sarif', 'fail-on': 'never' },
    });
    expect(run.status).toBe(0);
    const file = join(checkout, 'reports/idse.sarif');
    expect(run.outputs['sarif-file']).toBe(file);
    expect(run.stdout).toContain(`idse: SARIF written to ${file}\n`);

    const log = JSON.parse(readFileSync(file, 'utf8')) as Log;
    expect(validateSarif(log), ajv.errorsText(validateSarif.errors)).toBe(true);
    const [sarifRun] = log.runs;
    expect(sarifRun!.originalUriBaseIds).toEqual({
      '%SRCROOT%': { uri: `${pathToFileURL(checkout).href}/` },
    });
    const results = sarifRun!.results!;
    expect(results).toHaveLength(cli.diagnostics.length);
    // Code scanning maps URIs against the repository root, not the IDSE workspace folder.
    const uris = results.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri!);
    expect(uris).toContain(`docs/${SESSION}/intents/intent.md`);
    expect(uris.every((uri) => uri.startsWith(`docs/${SESSION}/`))).toBe(true);
    expect(results.filter((r) => r.level === 'error')).toHaveLength(cli.summary.errors);
  });
});
