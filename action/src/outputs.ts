import * as core from '@actions/core';
import type { Report } from '../../src/report/schema.ts';

/** The step outputs action.yml declares; `sarif-file` is empty when no SARIF was written. */
export function setOutputs(report: Report, sarifFile: string | undefined): void {
  core.setOutput('errors', report.summary.errors);
  core.setOutput('warnings', report.summary.warnings);
  core.setOutput('sessions', report.summary.sessions);
  core.setOutput('sarif-file', sarifFile ?? '');
}
