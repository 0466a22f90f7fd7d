import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import type { Diagnostic } from '../../src/diagnostics.ts';
import { validate } from '../../src/engine.ts';
import type { SourceFile } from '../../src/model/source.ts';
import type { SuppressionFact } from '../../src/pipeline/facts.ts';
import { defineRule } from '../../src/rules/rule.ts';
import { isSuppressed } from '../../src/suppress.ts';

const file = (path: string, text: string): SourceFile => {
  const content = new TextEncoder().encode(text);
  return { path, size: content.byteLength, content };
};

const at = (line: number, code = 'IDSE010', rule = 'unresolved-input'): Diagnostic => ({
  code,
  rule,
  severity: 'error',
  message: 'm',
  file: 'f.md',
  range: { start: { line, column: 1 }, end: { line, column: 2 } },
});

describe('isSuppressed', () => {
  const suppressions: SuppressionFact[] = [
    { kind: 'disable-next-line', rules: ['IDSE010'], line: 2 },
    { kind: 'disable', rules: ['empty-section'], line: 5 },
    { kind: 'disable', rules: [], line: 10 },
    { kind: 'enable', rules: [], line: 12 },
  ];

  it('honours next-line, ranges, names, codes and bare comments', () => {
    expect(isSuppressed(at(2), suppressions)).toBe(true);
    expect(isSuppressed(at(3), suppressions)).toBe(false);
    expect(isSuppressed(at(2, 'IDSE009', 'empty-section'), suppressions)).toBe(false);
    expect(isSuppressed(at(6, 'IDSE009', 'empty-section'), suppressions)).toBe(true);
    expect(isSuppressed(at(6), suppressions)).toBe(false);
    expect(isSuppressed(at(11), suppressions)).toBe(true);
    expect(isSuppressed(at(13, 'IDSE009', 'empty-section'), suppressions)).toBe(false);
    expect(isSuppressed({ ...at(1), range: undefined }, suppressions)).toBe(false);
  });
});

describe('validate', () => {
  const probe = defineRule({
    code: 'IDSE999',
    name: 'probe',
    description: 'test rule',
    article: 'III',
    defaultSeverity: 'warning',
    *check({ workspace }) {
      for (const doc of workspace.docs.values()) {
        yield { file: doc.path, message: 'lowered', severity: 'info' };
        yield { file: doc.path, message: 'raised?', severity: 'error' };
      }
    },
  });
  const files = [file('projects/p/sessions/s/intents/intent.md', '# Intent\n')];

  it('lets a finding lower its severity but never raise it past the configured one', () => {
    const { diagnostics } = validate({ files, config: defaultConfig(), rules: [probe] });
    expect(diagnostics.map((d) => [d.message, d.severity, d.code, d.rule, d.url])).toEqual([
      ['lowered', 'info', 'IDSE999', 'probe', expect.stringMatching(/IDSE999\.md$/)],
      ['raised?', 'warning', 'IDSE999', 'probe', expect.stringMatching(/IDSE999\.md$/)],
    ]);
  });

  it('switches rules off and changes severity by code or name', () => {
    const off = validate({ files, config: { ...defaultConfig(), rules: { probe: 'off' } }, rules: [probe] });
    expect(off.diagnostics).toEqual([]);
    const error = validate({
      files,
      config: { ...defaultConfig(), rules: { IDSE999: 'error' } },
      rules: [probe],
    });
    expect(error.diagnostics.map((d) => d.severity)).toEqual(['info', 'error']);
  });

  it('limits findings to changed files when a change set is given', () => {
    const two = [...files, file('projects/p/sessions/t/intents/intent.md', '# Intent\n')];
    const { diagnostics } = validate({
      files: two,
      config: defaultConfig(),
      rules: [probe],
      changed: new Set(['projects/p/sessions/t/intents/intent.md']),
    });
    expect(new Set(diagnostics.map((d) => d.file))).toEqual(
      new Set(['projects/p/sessions/t/intents/intent.md']),
    );
  });
});
