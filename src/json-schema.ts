import { z } from 'zod';
import { VERSION } from './version.ts';

// Pinned to the release that wrote them, as the rule doc links are: a newer schema may not describe this version's output.
const SCHEMA_BASE = `https://raw.githubusercontent.com/idse-toolkit/idse/v${VERSION}/schemas/`;

export const schemaUrl = (file: string): string => `${SCHEMA_BASE}${file}`;

/**
 * JSON Schema (draft 2020-12, as zod emits it) of a contract, with its public `$id` and a title.
 * `io: 'input'` describes what a user may write (defaults optional), `output` what we print.
 */
export function jsonSchemaOf(
  schema: z.ZodType,
  file: string,
  title: string,
  io: 'input' | 'output',
): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io });
  return { $schema, $id: schemaUrl(file), title, ...rest };
}

export const renderJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
