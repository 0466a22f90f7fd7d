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

/** The comparisons the README discusses; null when one side was not run (`--only`). */
export function ratios(r: Readonly<Record<string, BenchResult>>) {
  const ratio = (a: string, b: string) => {
    const x = r[a];
    const y = r[b];
    if (!x || !y) return null;
    return {
      wall: round(x.wallMs / y.wallMs, 3),
      cpu: round(x.cpuMs / y.cpuMs, 3),
      rss: round(x.rssKb / y.rssKb, 3),
    };
  };
  return {
    'idse-cold/markdownlint': ratio('idse-cold', 'markdownlint'),
    'idse-warm/markdownlint': ratio('idse-warm', 'markdownlint'),
    'idse-cold/rumdl': ratio('idse-cold', 'rumdl'),
    'idse-warm/rumdl': ratio('idse-warm', 'rumdl'),
    'idse-warm/read-floor': ratio('idse-warm', 'read-floor'),
    'idse-cold/read-floor': ratio('idse-cold', 'read-floor'),
    'idse-version/node-e-0': ratio('idse-version', 'node-e-0'),
  };
}

const mb = (kb: number): string => (kb / 1024).toFixed(1);

export function markdown(results: readonly BenchResult[], r: ReturnType<typeof ratios>): string {
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
