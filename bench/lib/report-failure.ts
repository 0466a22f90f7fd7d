import { CheckFailed } from './benches.ts';
import { CommandFailed } from './measure.ts';

/** Progress and failures go to stderr: stdout is the table. */
export const log = (msg: string): void => {
  process.stderr.write(`${msg}\n`);
};

/** Reads an integer option of at least `min`; anything else is a usage error. */
export function integerOption(
  name: string,
  value: string,
  min: number,
  usage: (problem: string) => never,
): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) usage(`--${name} must be an integer ≥ ${min}`);
  return n;
}

/** A benchmark's end when something failed: what failed and the command's own words, then exit 1. */
export function exitFailed(bench: string, error: unknown): never {
  if (error instanceof CommandFailed) {
    log(`${bench}: ${error.message}`);
    log(`--- stderr ---\n${error.result.stderr.slice(-8000) || '(empty)'}`);
    if (error.result.stdout) log(`--- stdout (end) ---\n${error.result.stdout.slice(-2000)}`);
  } else if (error instanceof CheckFailed) {
    log(`${bench}: sanity check failed: ${error.message}`);
  } else {
    log(`${bench}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  process.exit(1);
}
