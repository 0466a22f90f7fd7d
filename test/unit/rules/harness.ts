import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../../src/config/parse.ts';
import { type Config, defaultConfig } from '../../../src/config/schema.ts';
import { loadDesignManifest } from '../../../src/design/load.ts';
import type { Diagnostic } from '../../../src/diagnostics.ts';
import { validate } from '../../../src/engine.ts';
import { RULE_KEYS } from '../../../src/rules/registry.ts';
import { readWorkspaceFiles } from '../../../src/run/sources/fs.ts';

/** `test/fixtures/rules/<CODE>/<case>/`: one tiny workspace per case. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/rules/', import.meta.url));

/** A diagnostic as a fixture's `expected.json` writes it; `line`/`column` only when it has a range. */
export interface ExpectedDiagnostic {
  file: string;
  line?: number;
  column?: number;
  severity: Diagnostic['severity'];
  message: string;
}

/** `pass-…` cases must produce nothing for their rule; `fail-…` cases exactly their expected.json. */
export const CASE_NAME = /^(pass|fail)-[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const listDirs = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

export function loadCaseConfig(dir: string): Config {
  const file = path.join(dir, 'idse.config.yml');
  return existsSync(file) ? parseConfig(readFileSync(file, 'utf8'), file, RULE_KEYS) : defaultConfig();
}

export const toExpected = (d: Diagnostic): ExpectedDiagnostic => ({
  file: d.file,
  ...(d.range ? { line: d.range.start.line, column: d.range.start.column } : {}),
  severity: d.severity,
  message: d.message,
});

/**
 * Validate a workspace folder the way the CLI does (config from `idse.config.yml`, `changed.json`
 * as the change set, the design manifest the config names loaded from the case folder as
 * src/run/load.ts loads it) and keep the diagnostics of one rule. Messages that quote the case
 * folder's absolute path (a manifest that cannot be read) show it relative, so expected.json is
 * portable: `open '/…/fail-x/design.json'` reads `open 'design.json'`.
 */
export async function runCase(dir: string, code: string): Promise<ExpectedDiagnostic[]> {
  const config = loadCaseConfig(dir);
  const files = await readWorkspaceFiles(dir, {
    ignore: config.ignore,
    maxFileBytes: config.maxFileBytes,
    followSymlinks: config.followSymlinks,
  });
  const changedFile = path.join(dir, 'changed.json');
  const changed = existsSync(changedFile)
    ? new Set<string>(JSON.parse(readFileSync(changedFile, 'utf8')) as string[])
    : undefined;
  const design = config.design ? await loadDesignManifest(config.design.manifest, dir) : undefined;
  const { diagnostics } = validate({
    files,
    config,
    ...(changed ? { changed } : {}),
    ...(design ? { design } : {}),
  });
  return diagnostics
    .filter((d) => d.code === code)
    .map(toExpected)
    .map((d) => ({ ...d, message: d.message.replaceAll(`${dir}${path.sep}`, '') }));
}

export function readExpected(dir: string): ExpectedDiagnostic[] | undefined {
  const file = path.join(dir, 'expected.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ExpectedDiagnostic[]) : undefined;
}
