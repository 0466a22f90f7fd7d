import { jsonSchemaOf, renderJson } from '../json-schema.ts';
import { EXPORT_SCHEMA_ID, ExportSchema } from './schema.ts';

/** The exact text of `schemas/export.schema.json`; shared by the generator and the drift test. */
export const renderExportJsonSchema = (): string =>
  renderJson(jsonSchemaOf(ExportSchema, 'export.schema.json', `IDSE export (${EXPORT_SCHEMA_ID})`, 'output'));
