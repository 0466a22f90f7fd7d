// Writes the published JSON Schemas from their zod sources; tests fail when a committed copy drifts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigJsonSchema } from '../src/config/json-schema.ts';
import { renderExportJsonSchema } from '../src/export/json-schema.ts';
import { renderReportJsonSchema } from '../src/report/json-schema.ts';
import { renderSyncJsonSchema } from '../src/sync/json-schema.ts';

const outputs: Record<string, () => string> = {
  'report.schema.json': renderReportJsonSchema,
  'config.schema.json': renderConfigJsonSchema,
  'sync.schema.json': renderSyncJsonSchema,
  'export.schema.json': renderExportJsonSchema,
};
mkdirSync(new URL('../schemas/', import.meta.url), { recursive: true });
for (const [file, render] of Object.entries(outputs)) {
  const target = new URL(`../schemas/${file}`, import.meta.url);
  writeFileSync(target, render());
  console.log(`wrote ${fileURLToPath(target)}`);
}
