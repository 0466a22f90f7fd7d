import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/rules/registry.ts';
import {
  CASE_NAME,
  type ExpectedDiagnostic,
  FIXTURES_DIR,
  listDirs,
  readExpected,
  runCase,
} from './harness.ts';

const codes = new Set<string>(RULES.map((rule) => rule.code));
const ruleDirs = existsSync(FIXTURES_DIR) ? listDirs(FIXTURES_DIR) : [];
const casesOf = (code: string): string[] =>
  existsSync(path.join(FIXTURES_DIR, code)) ? listDirs(path.join(FIXTURES_DIR, code)) : [];

describe('rule fixtures: layout of test/fixtures/rules', () => {
  it('has a folder only for codes in RULES', () => {
    expect(ruleDirs.filter((dir) => !codes.has(dir))).toEqual([]);
  });

  it.each(RULES.map((rule) => [rule.code, rule.name]))('%s (%s) has a pass and a fail case', (code) => {
    const cases = casesOf(code);
    expect(cases.filter((name) => name.startsWith('pass-')).length).toBeGreaterThanOrEqual(1);
    expect(cases.filter((name) => name.startsWith('fail-')).length).toBeGreaterThanOrEqual(1);
  });

  it('names every case pass-… or fail-…, and only fail cases have a non-empty expected.json', () => {
    const problems: string[] = [];
    for (const code of ruleDirs) {
      for (const name of casesOf(code)) {
        const where = `${code}/${name}`;
        if (!CASE_NAME.test(name)) problems.push(`${where}: name is not pass-… or fail-…`);
        const expected = readExpected(path.join(FIXTURES_DIR, code, name));
        if (name.startsWith('fail-') && !expected?.length) problems.push(`${where}: no findings expected`);
        if (name.startsWith('pass-') && expected) problems.push(`${where}: a pass case has expected.json`);
      }
    }
    expect(problems).toEqual([]);
  });
});

for (const rule of RULES) {
  const cases = casesOf(rule.code);
  if (cases.length === 0) continue;
  describe(`${rule.code} ${rule.name}`, () => {
    it.each(cases)('%s', async (name) => {
      const dir = path.join(FIXTURES_DIR, rule.code, name);
      const expected: ExpectedDiagnostic[] = name.startsWith('fail-') ? (readExpected(dir) ?? []) : [];
      expect(await runCase(dir, rule.code)).toEqual(expected);
    });
  });
}
