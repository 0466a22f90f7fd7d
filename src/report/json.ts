import type { Report } from './schema.ts';

/** The report as is; its shape is described by `schemas/report.schema.json`. */
export const formatJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`;
