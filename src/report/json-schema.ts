import { jsonSchemaOf, renderJson, schemaUrl } from '../json-schema.ts';
import { REPORT_SCHEMA_ID, ReportSchema } from './schema.ts';

export const REPORT_JSON_SCHEMA_URL = schemaUrl('report.schema.json');

/** JSON Schema of what `--format json` prints. */
export const reportJsonSchema = (): Record<string, unknown> =>
  jsonSchemaOf(ReportSchema, 'report.schema.json', `IDSE report (${REPORT_SCHEMA_ID})`, 'output');

/** The exact text of `schemas/report.schema.json`; shared by the generator and the drift test. */
export const renderReportJsonSchema = (): string => renderJson(reportJsonSchema());
