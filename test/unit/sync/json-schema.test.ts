import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { schemaUrl } from '../../../src/json-schema.ts';
import { renderSyncJsonSchema } from '../../../src/sync/json-schema.ts';

const committed = readFileSync(new URL('../../../schemas/sync.schema.json', import.meta.url), 'utf8');
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
ajv.addSchema(JSON.parse(committed));
const check = (name: string, value: unknown) =>
  ajv.validate(`${schemaUrl('sync.schema.json')}#/$defs/${name}`, value);

describe('sync gateway JSON schema', () => {
  it('is committed exactly as `node scripts/gen-schemas.ts` writes it', () => {
    expect(committed).toBe(renderSyncJsonSchema());
  });

  it('accepts the messages the gateway exchanges and rejects malformed ones', () => {
    const push = {
      request_id: crypto.randomUUID(),
      client_id: crypto.randomUUID(),
      project: 'web',
      ref: 'refs/heads/main',
      commit_sha: 'a'.repeat(40),
      committed_at: '2026-11-25T12:00:00Z',
      files: [{ path: 'projects/web/x.md', blob_sha: 'b'.repeat(40), content: '# x' }],
    };
    expect(check('PushRequest', push)).toBe(true);
    expect(check('PushRequest', { ...push, project: '..' })).toBe(false);
    expect(check('PushRequest', { ...push, commit_sha: 'HEAD' })).toBe(false);
    expect(check('PushRequest', { ...push, extra: true })).toBe(false);
    expect(check('TokenRequest', { key: 'idse_sync_x' })).toBe(true);
    expect(check('PushResponse', { status: 'incomplete', missing: ['c'.repeat(40)], rejected: [] })).toBe(
      true,
    );
    expect(check('PushResponse', { status: 'maybe' })).toBe(false);
    expect(check('ErrorResponse', { error: { code: 'unsafe-path', message: 'no' } })).toBe(true);
  });
});
