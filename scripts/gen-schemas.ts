import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderReportJsonSchema } from '../src/report/json-schema.ts';

const target = new URL('../schemas/report.schema.json', import.meta.url);
mkdirSync(new URL('.', target), { recursive: true });
writeFileSync(target, renderReportJsonSchema());
console.log(`wrote ${fileURLToPath(target)}`);
