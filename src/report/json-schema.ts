import { z } from 'zod';
import { REPORT_SCHEMA_ID, ReportSchema } from './schema.ts';

export const REPORT_JSON_SCHEMA_URL =
  'https://raw.githubusercontent.com/idse-toolkit/idse/main/schemas/report.schema.json';

/** JSON Schema (draft 2020-12, as zod emits it) of what `--format json` prints. */
export function reportJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(ReportSchema);
  return {
    $schema,
    $id: REPORT_JSON_SCHEMA_URL,
    title: `IDSE report (${REPORT_SCHEMA_ID})`,
    ...rest,
  };
}

/** The exact text of `schemas/report.schema.json`; shared by the generator and the drift test. */
export const renderReportJsonSchema = (): string => `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
