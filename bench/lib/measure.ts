import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/**
 * GNU time reports peak RSS and user+system CPU of the whole child; Node's own resourceUsage would
 * only see this process. CPU time is steadier than wall time on a shared machine.
 */
export const GNU_TIME = '/usr/bin/time';

export interface Command {
  argv: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that mean "ran fine": linters exit 1 when they report findings. */
  okCodes?: readonly number[];
}

export interface RunResult {
  wallMs: number;
  rssKb: number;
  /** User + system CPU time of the child and its threads. */
  cpuMs: number;
  code: number;
  stdout: string;
  stderr: string;
  /** Each line of stdout with the milliseconds from spawn to its arrival: where a run spent its time. */
  lines: TimedLine[];
}

export interface TimedLine {
  ms: number;
  text: string;
}

export class CommandFailed extends Error {
  readonly result: RunResult;
  constructor(argv: readonly string[], result: RunResult) {
    super(`\`${argv.join(' ')}\` exited with ${result.code}`);
    this.result = result;
  }
}

/** One fresh child process, timed from just before spawn to its exit (not to the end of its output). */
export async function runOnce(cmd: Command): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'idse-bench-'));
  const timeFile = join(dir, 'time');
  try {
    const start = process.hrtime.bigint();
    const child = spawn(GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, ...cmd.argv], {
      cwd: cmd.cwd,
      env: cmd.env ?? process.env,
    });
    const stdout: Buffer[] = [];
    const arrivals: number[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => {
      stdout.push(b);
      arrivals.push(Number(process.hrtime.bigint() - start) / 1e6);
    });
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    const { code, end } = await new Promise<{ code: number; end: bigint }>((resolve, reject) => {
      let exit: { code: number; end: bigint } | undefined;
      child.on('error', reject);
      child.on('exit', (c, signal) => {
        exit = { code: c ?? (signal ? 128 : 1), end: process.hrtime.bigint() };
      });
      child.on('close', () => resolve(exit!));
    });
    const result: RunResult = {
      wallMs: Number(end - start) / 1e6,
      ...readTime(timeFile),
      code,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
      lines: timedLines(stdout, arrivals),
    };
    if (!(cmd.okCodes ?? [0]).includes(code)) throw new CommandFailed(cmd.argv, result);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A line is as old as the chunk that ended it (a child writing to a pipe on Linux writes synchronously). */
function timedLines(chunks: readonly Buffer[], arrivals: readonly number[]): TimedLine[] {
  const lines: TimedLine[] = [];
  const decoder = new StringDecoder('utf8');
  let pending = '';
  chunks.forEach((chunk, i) => {
    const parts = (pending + decoder.write(chunk)).split('\n');
    pending = parts.pop() ?? '';
    for (const text of parts) lines.push({ ms: arrivals[i]!, text });
  });
  if (pending) lines.push({ ms: arrivals[arrivals.length - 1]!, text: pending });
  return lines;
}

/** GNU time prefixes "Command exited with non-zero status N" when the child fails; the figures are last. */
function readTime(file: string): { rssKb: number; cpuMs: number } {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { rssKb: Number.NaN, cpuMs: Number.NaN };
  }
  const last = text.trim().split('\n').pop() ?? '';
  const m = /^(\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(last);
  if (!m) return { rssKb: Number.NaN, cpuMs: Number.NaN };
  return { rssKb: Number(m[1]), cpuMs: round((Number(m[2]) + Number(m[3])) * 1000) };
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export interface Measurement {
  wallMs: number;
  rssKb: number;
  cpuMs: number;
  samples: { wallMs: number; rssKb: number; cpuMs: number }[];
  /** Every timed run, for figures taken from their output (where the time went). */
  results: RunResult[];
  /** Output of the last run, for sanity checks on what the command actually did. */
  last: RunResult;
}

/**
 * `warmup` untimed runs first, so page cache and on-disk caches are in the state being measured.
 * A function instead of a command sets up each run (a changed doc, an emptied temp dir) untimed.
 */
export async function measure(
  cmd: Command | (() => Command | Promise<Command>),
  runs: number,
  warmup: number,
): Promise<Measurement> {
  const next = typeof cmd === 'function' ? cmd : () => cmd;
  for (let i = 0; i < warmup; i++) await runOnce(await next());
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await runOnce(await next()));
  return summarize(results);
}

/**
 * Several commands measured in rounds (each warmed up first, then one run of each per round), so a
 * machine that speeds up or slows down during the sitting shifts every command alike and ratios
 * between them hold; run one after the other, a ratio took the drift whole.
 */
export async function measureInterleaved(
  cmds: ReadonlyArray<{ cmd: Command; runs: number; warmup: number; before?: () => void }>,
): Promise<Measurement[]> {
  for (const { cmd, warmup, before } of cmds) {
    before?.();
    for (let i = 0; i < warmup; i++) await runOnce(cmd);
  }
  const results = cmds.map((): RunResult[] => []);
  const rounds = Math.max(...cmds.map((c) => c.runs));
  for (let round = 0; round < rounds; round++)
    for (const [i, { cmd, runs }] of cmds.entries()) if (round < runs) results[i]!.push(await runOnce(cmd));
  return results.map(summarize);
}

function summarize(results: RunResult[]): Measurement {
  return {
    wallMs: median(results.map((r) => r.wallMs)),
    rssKb: median(results.map((r) => r.rssKb)),
    cpuMs: median(results.map((r) => r.cpuMs)),
    samples: results.map(({ wallMs, rssKb, cpuMs }) => ({ wallMs: round(wallMs), rssKb, cpuMs })),
    results,
    last: results[results.length - 1]!,
  };
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
