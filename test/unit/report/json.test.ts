import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../../src/report/json.ts';
import {
  REPORT_JSON_SCHEMA_URL,
  renderReportJsonSchema,
  reportJsonSchema,
} from '../../../src/report/json-schema.ts';
import { sampleReport } from './sample-report.ts';

const committedSchema = readFileSync(new URL('../../../schemas/report.schema.json', import.meta.url), 'utf8');
const validateReport = new Ajv2020({ allErrors: true }).compile(JSON.parse(committedSchema));

describe('formatJson', () => {
  it('prints the report as indented JSON ending in a newline', () => {
    const report = sampleReport();
    const out = formatJson(report);
    expect(out).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(out.startsWith('{\n  "schema": "idse.report/v1",\n  "tool": {\n    "name": "idse",')).toBe(true);
    expect(JSON.parse(out)).toEqual(report);
  });
});

describe('report JSON schema', () => {
  it('is committed exactly as `node scripts/gen-schemas.ts` writes it', () => {
    expect(committedSchema).toBe(renderReportJsonSchema());
  });

  it('identifies itself', () => {
    const schema = reportJsonSchema();
    expect(Object.keys(schema).slice(0, 3)).toEqual(['$schema', '$id', 'title']);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(REPORT_JSON_SCHEMA_URL);
    expect(schema.title).toBe('IDSE report (idse.report/v1)');
  });

  it('accepts what --format json prints', () => {
    const ok = validateReport(JSON.parse(formatJson(sampleReport())));
    expect(ok, JSON.stringify(validateReport.errors)).toBe(true);
  });

  it('rejects reports that break the contract', () => {
    const badSeverity = sampleReport();
    (badSeverity.diagnostics[0] as { severity: string }).severity = 'fatal';
    expect(validateReport(badSeverity)).toBe(false);
    expect(validateReport.errors?.[0]?.instancePath).toBe('/diagnostics/0/severity');

    const badCode = sampleReport();
    badCode.diagnostics[0]!.code = 'E12';
    expect(validateReport(badCode)).toBe(false);

    const { summary: _summary, ...noSummary } = sampleReport();
    expect(validateReport(noSummary)).toBe(false);

    expect(validateReport({ ...sampleReport(), schema: 'idse.report/v2' })).toBe(false);
  });
});
