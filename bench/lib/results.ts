import { cpus, loadavg, totalmem } from 'node:os';
import type { Bench } from './benches.ts';
import { type Measurement, round } from './measure.ts';

export interface BenchResult {
  letter: string;
  title: string;
  command: string;
  runs: number;
  wallMs: number;
  rssKb: number;
  cpuMs: number;
  samples: Measurement['samples'];
  details: Record<string, unknown>;
}

export const toResult = (
  b: Bench,
  m: Measurement,
  runs: number,
  details: Record<string, unknown>,
): BenchResult => ({
  letter: b.letter,
  title: b.title,
  command: b.display,
  runs,
  wallMs: round(m.wallMs),
  rssKb: m.rssKb,
  cpuMs: m.cpuMs,
  samples: m.samples,
  details,
});

/** Where the figures were taken (they compare only within one machine and Node) and how busy it was. */
export function machine() {
  const cpu = cpus();
  return {
    node: { version: process.version, execPath: process.execPath },
    host: {
      platform: process.platform,
      arch: process.arch,
      cpu: cpu[0]?.model,
      cpus: cpu.length,
      memGb: Math.round(totalmem() / 2 ** 30),
      loadavg: loadavg().map((l) => round(l, 2)),
    },
  };
}

export interface Ratio {
  wall: number;
  cpu: number;
  rss: number;
}

/** Result `a` over result `b`; null when one side was not run (`--only`). */
export function ratio(r: Readonly<Record<string, BenchResult>>, a: string, b: string): Ratio | null {
  const x = r[a];
  const y = r[b];
  if (!x || !y) return null;
  return {
    wall: round(x.wallMs / y.wallMs, 3),
    cpu: round(x.cpuMs / y.cpuMs, 3),
    rss: round(x.rssKb / y.rssKb, 3),
  };
}

/** The comparisons the README discusses. */
const COMPARED = [
  ['idse-cold', 'markdownlint'],
  ['idse-warm', 'markdownlint'],
  ['idse-cold', 'rumdl'],
  ['idse-warm', 'rumdl'],
  ['idse-warm', 'read-floor'],
  ['idse-cold', 'read-floor'],
  ['idse-version', 'node-e-0'],
] as const;

export const ratios = (results: Readonly<Record<string, BenchResult>>): Record<string, Ratio | null> =>
  Object.fromEntries(COMPARED.map(([a, b]) => [`${a}/${b}`, ratio(results, a, b)]));

const mb = (kb: number): string => (kb / 1024).toFixed(1);

export function markdown(results: readonly BenchResult[], r: Readonly<Record<string, Ratio | null>>): string {
  const rows = results.map(
    (x) =>
      `| (${x.letter}) ${x.title} | \`${x.command}\` | ${x.runs} | ${x.wallMs.toFixed(1)} | ${x.cpuMs.toFixed(0)} | ${mb(x.rssKb)} |`,
  );
  const ratioRows = Object.entries(r)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `| ${k} | ${v!.wall.toFixed(2)}× | ${v!.cpu.toFixed(2)}× | ${v!.rss.toFixed(2)}× |`);
  return [
    '| Benchmark | Command | Runs | Wall, median (ms) | User+sys CPU, median (ms) | Peak RSS, median (MB) |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    ...(ratioRows.length > 0
      ? ['| Ratio | Wall | CPU | Peak RSS |', '| --- | ---: | ---: | ---: |', ...ratioRows]
      : []),
  ].join('\n');
}
