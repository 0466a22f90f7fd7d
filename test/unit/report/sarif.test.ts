import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { Log, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics.ts';
import { formatSarif } from '../../../src/report/sarif.ts';
import type { Report } from '../../../src/report/schema.ts';
import { VERSION } from '../../../src/version.ts';
import { sampleReport, TRICKY_MESSAGE } from './sample-report.ts';

/** The official OASIS SARIF 2.1.0 schema (draft-07), vendored because tests run offline. */
const SARIF_SCHEMA = JSON.parse(
  readFileSync(new URL('../../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
);

const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats is CommonJS; under NodeNext its callable plugin is the `default` member.
ajvFormats.default(ajv);
const validateSarif = ajv.compile(SARIF_SCHEMA);

const sarif = (report: Report): Log => JSON.parse(formatSarif(report));
const results = (report: Report): Result[] => sarif(report).runs[0]!.results!;
const fingerprint = (r: Result): string => r.partialFingerprints!['idseFindingHash/v1']!;

describe('formatSarif', () => {
  it('validates against the official SARIF 2.1.0 schema', () => {
    const log = sarif(sampleReport());
    expect(validateSarif(log), ajv.errorsText(validateSarif.errors)).toBe(true);
  });

  it('is rejected by that schema when a level is not a SARIF level', () => {
    const log = sarif(sampleReport());
    (log.runs[0]!.results![0] as { level: string }).level = 'info';
    expect(validateSarif(log)).toBe(false);
    expect(validateSarif.errors?.map((e) => e.instancePath)).toContain('/runs/0/results/0/level');
  });

  it('describes the tool and one reporting descriptor per rule', () => {
    const log = sarif(sampleReport());
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0]!.tool;
    expect({ ...driver, rules: undefined }).toEqual({
      name: 'idse',
      version: '1.2.3',
      informationUri: 'https://github.com/idse-toolkit/idse',
      rules: undefined,
    });
    expect(driver.rules?.map((r) => [r.id, r.name, r.defaultConfiguration?.level])).toEqual([
      ['IDSE003', 'RequiredSection', 'error'],
      ['IDSE012', 'RequirementWithoutTask', 'warning'],
      ['IDSE020', 'SecretInDoc', 'error'],
    ]);
    expect(driver.rules?.[1]).toEqual({
      id: 'IDSE012',
      name: 'RequirementWithoutTask',
      shortDescription: { text: 'Every requirement the spec defines is cited by at least one task.' },
      fullDescription: {
        text: 'Every requirement the spec defines is cited by at least one task. (constitution article VIII)',
      },
      helpUri: `https://github.com/idse-toolkit/idse/blob/v${VERSION}/docs/rules/IDSE012.md`,
      help: {
        text: `Every requirement the spec defines is cited by at least one task.\n\nConstitution article VIII.\n\nhttps://github.com/idse-toolkit/idse/blob/v${VERSION}/docs/rules/IDSE012.md`,
        markdown: `**IDSE012 requirement-without-task**\n\nEvery requirement the spec defines is cited by at least one task.\n\nConstitution article VIII.\n\n[Rule documentation](https://github.com/idse-toolkit/idse/blob/v${VERSION}/docs/rules/IDSE012.md)`,
      },
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['idse', 'article-VIII'] },
    });
    expect(log.runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/ws/' } });
  });

  it('leaves out helpUri when a rule url is not an absolute URI', () => {
    const report = sampleReport();
    report.rules[0]!.url = 'docs/rules/IDSE003.md';
    const log = sarif(report);
    const rule = log.runs[0]!.tool.driver.rules![0]!;
    expect(rule.helpUri).toBeUndefined();
    expect(rule.help?.text).toBe(
      'Each doc has the sections its template defines.\n\nConstitution article III.',
    );
    expect(validateSarif(log), ajv.errorsText(validateSarif.errors)).toBe(true);
  });

  it('turns a diagnostic into a result with location, related locations and a fix', () => {
    const [readme, secret, spec12, spec30, goals] = results(sampleReport());
    expect(secret).toEqual({
      ruleId: 'IDSE020',
      ruleIndex: 2,
      level: 'error',
      message: { text: TRICKY_MESSAGE },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'projects/alpha/sessions/s1/intents/intent.md', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 9 },
          },
        },
      ],
      partialFingerprints: { 'idseFindingHash/v1': expect.stringMatching(/^[0-9a-f]{64}:1$/) },
      fixes: [
        {
          description: { text: 'Redact the secret' },
          artifactChanges: [
            {
              artifactLocation: {
                uri: 'projects/alpha/sessions/s1/intents/intent.md',
                uriBaseId: '%SRCROOT%',
              },
              replacements: [
                {
                  deletedRegion: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 9 },
                  insertedContent: { text: '[redacted]' },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(spec12?.relatedLocations).toEqual([
      {
        id: 0,
        physicalLocation: {
          artifactLocation: { uri: 'projects/alpha/sessions/s1/tasks/tasks.md', uriBaseId: '%SRCROOT%' },
          region: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 20 },
        },
        message: { text: 'tasks are listed here' },
      },
    ]);
    expect(spec30?.relatedLocations).toBeUndefined();
    // Without a range the result points at the whole file.
    expect(goals?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'projects/beta/sessions/s2/intents/intent.md', uriBaseId: '%SRCROOT%' },
        },
      },
    ]);
    expect(goals?.level).toBe('warning');
    // Infos are notes; a code without a descriptor gets no ruleIndex.
    expect(readme?.level).toBe('note');
    expect(readme?.ruleId).toBe('IDSE099');
    expect(readme && 'ruleIndex' in readme).toBe(false);
  });

  it('percent-encodes artifact URIs', () => {
    const report = sampleReport();
    report.diagnostics = [{ ...report.diagnostics[3]!, file: 'docs/my notes/50%#1.md' }];
    const log = sarif(report);
    expect(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe(
      'docs/my%20notes/50%25%231.md',
    );
    expect(validateSarif(log), ajv.errorsText(validateSarif.errors)).toBe(true);
  });

  it('fingerprints survive line shifts and number identical findings in a file', () => {
    const before = results(sampleReport());
    const shifted = sampleReport();
    const shift = (d: Diagnostic): Diagnostic =>
      d.range
        ? {
            ...d,
            range: {
              start: { ...d.range.start, line: d.range.start.line + 7 },
              end: { ...d.range.end, line: d.range.end.line + 7 },
            },
          }
        : d;
    shifted.diagnostics = shifted.diagnostics.map(shift);
    const after = results(shifted);
    expect(after.map(fingerprint)).toEqual(before.map(fingerprint));
    expect(after[2]!.locations![0]!.physicalLocation!.region!.startLine).toBe(19);

    const spec = before.filter((r) => r.ruleId === 'IDSE012').map(fingerprint);
    expect(spec[0]!.split(':')[0]).toBe(spec[1]!.split(':')[0]);
    expect(spec.map((f) => f.split(':')[1])).toEqual(['1', '2']);
    expect(new Set(before.map(fingerprint)).size).toBe(before.length);
  });

  it('fingerprints change with the code, the file or the message', () => {
    const base = sampleReport();
    const one = (patch: Partial<Diagnostic>) => {
      const report = sampleReport();
      report.diagnostics = [{ ...base.diagnostics[3]!, ...patch }];
      return fingerprint(results(report)[0]!);
    };
    const original = one({});
    expect(one({ range: { start: { line: 9, column: 1 }, end: { line: 9, column: 2 } } })).toBe(original);
    expect(one({ code: 'IDSE004' })).not.toBe(original);
    expect(one({ file: 'projects/beta/sessions/s2/specs/spec.md' })).not.toBe(original);
    expect(one({ message: 'Missing section "Scope"' })).not.toBe(original);
  });

  it('writes an empty result list for a clean workspace', () => {
    const log = sarif({ ...sampleReport(), diagnostics: [] });
    expect(log.runs[0]!.results).toEqual([]);
    expect(validateSarif(log)).toBe(true);
  });
});
