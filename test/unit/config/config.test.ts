import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.ts';
import { IdseError } from '../../../src/errors.ts';
import { RULE_KEYS } from '../../../src/rules/registry.ts';

const parse = (text: string) => parseConfig(text, '.github/idse.yml', RULE_KEYS);

function errorOf(text: string): IdseError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof IdseError) return error;
    throw error;
  }
  throw new Error('expected a config error');
}

describe('parseConfig', () => {
  it('fills defaults and accepts rules by code or name', () => {
    const config = parse('rules:\n  IDSE010: warning\n  empty-section: off\n');
    expect(config.rules).toEqual({ IDSE010: 'warning', 'empty-section': 'off' });
    expect(config.ids.requirements).toEqual(['FR', 'NFR', 'AC', 'SC']);
    expect(parse('').layout).toBe('auto');
  });

  it.each([
    ['rules:\n  IDSE010: loud\n', 2, '`rules.IDSE010`: Invalid option'],
    ['layout: auto\nbogus: 1\n', 2, '`bogus`: Unrecognized key'],
    ['rules:\n  no-such-rule: error\n', 2, '`rules.no-such-rule`: unknown rule'],
    ['ids:\n  requirements:\n    - fr\n', 3, '`ids.requirements.0`: an ID family'],
    ['rules: [\n', 2, 'invalid YAML'],
  ])('names file, line and key for %j', (text, line, message) => {
    const error = errorOf(text);
    expect(error.code).toBe('config-invalid');
    expect(error.file).toBe('.github/idse.yml');
    expect(error.line).toBe(line);
    expect(error.message).toContain(message);
  });

  it('refuses a YAML alias bomb with file and line, not by expanding it', () => {
    const bomb = [
      'rules: {}',
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    const error = errorOf(bomb);
    expect(error.code).toBe('config-invalid');
    expect(error.format()).toBe(
      '.github/idse.yml:3: invalid YAML: Excessive alias count indicates a resource exhaustion attack [config-invalid]',
    );
  });
});
