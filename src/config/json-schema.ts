import { jsonSchemaOf, renderJson } from '../json-schema.ts';
import { ConfigSchema } from './schema.ts';

/** JSON Schema of the config file, for editor completion (`yaml-language-server: $schema=…`). */
export const configJsonSchema = (): Record<string, unknown> =>
  jsonSchemaOf(ConfigSchema, 'config.schema.json', 'idse configuration', 'input');

export const renderConfigJsonSchema = (): string => renderJson(configJsonSchema());
