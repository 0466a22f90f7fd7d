import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderConfigJsonSchema } from '../../../src/config/json-schema.ts';
import { STARTER_CONFIG } from '../../../src/scaffold/plan.ts';

const committed = readFileSync(new URL('../../../schemas/config.schema.json', import.meta.url), 'utf8');
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(committed));

describe('config JSON schema', () => {
  it('is committed exactly as `node scripts/gen-schemas.ts` writes it', () => {
    expect(committed).toBe(renderConfigJsonSchema());
  });

  it('accepts the starter config and a full one, and rejects what zod rejects', () => {
    expect(validate(parse(STARTER_CONFIG))).toBe(true);
    expect(
      validate({
        layout: 'flat',
        rules: { IDSE010: 'warning' },
        ids: { requirements: ['FR'] },
        boundary: { maxSessions: 2 },
      }),
    ).toBe(true);
    expect(validate({ layout: 'sideways' })).toBe(false);
    expect(validate({ rules: { IDSE010: 'loud' } })).toBe(false);
    expect(validate({ unknownKey: true })).toBe(false);
  });
});
