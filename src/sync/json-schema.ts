import { z } from 'zod';
import { renderJson, schemaUrl } from '../json-schema.ts';
import { SYNC_MESSAGES } from './protocol.ts';

/**
 * JSON Schema of every sync gateway message, one definition each under `$defs` (TokenRequest,
 * PushResponse…), for clients written in other languages. Requests are described as a client may
 * write them (defaults optional), responses as the gateway sends them.
 */
export function syncJsonSchema(): Record<string, unknown> {
  const $defs = Object.fromEntries(
    Object.entries(SYNC_MESSAGES).map(([name, { schema, io }]) => {
      const { $schema: _, ...definition } = z.toJSONSchema(schema, { io });
      return [name, definition];
    }),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: schemaUrl('sync.schema.json'),
    title: 'idse sync gateway messages (docs/sync.md)',
    $defs,
  };
}

/** The exact text of `schemas/sync.schema.json`; shared by the generator and the drift test. */
export const renderSyncJsonSchema = (): string => renderJson(syncJsonSchema());
