// Counts a validate report's findings by rule and severity, for comparing verdicts before and after a
// change: `node dist/cli.js validate <dir> --format json --no-cache | node scripts/findings-by-rule.ts`.
import { readFileSync } from 'node:fs';
import type { Report } from '../src/report/schema.ts';

const report = JSON.parse(readFileSync(process.argv[2] ?? 0, 'utf8')) as Report;
const counts = new Map<string, number>();
for (const d of report.diagnostics) {
  const key = `${d.code} ${d.rule} ${d.severity}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
const rows = [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
for (const [key, n] of rows) console.log(`${String(n).padStart(4)}  ${key}`);
const { errors, warnings, infos, sessions } = report.summary;
console.log(
  `${String(report.diagnostics.length).padStart(4)}  total: ${errors} errors, ${warnings} warnings, ${infos} infos in ${sessions} sessions`,
);
