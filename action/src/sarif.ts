import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { IdseError } from '../../src/errors.ts';
import { formatReport } from '../../src/report/format.ts';
import type { Report } from '../../src/report/schema.ts';

/**
 * Writes the SARIF log and returns its absolute path. The report is already rebased on the checkout,
 * so its URIs are repository paths, which is what code scanning maps to files.
 */
export function writeSarif(report: Report, file: string, checkout: string): string {
  const path = resolve(checkout, file);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, formatReport(report, 'sarif', { color: false }));
  } catch (error) {
    throw new IdseError('usage', `cannot write sarif-file ${file}: ${(error as Error).message}`);
  }
  return path;
}
