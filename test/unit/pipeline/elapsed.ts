/**
 * Milliseconds a call takes. For adversarial-input tests only: the inputs are sized so that the
 * super-linear code they guard against runs for tens of seconds or more, while the linear code runs
 * in milliseconds, so a bound of a second tells them apart on any machine, however loaded.
 */
export function msToRun(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/** What every adversarial input must be handled within (issue 20: 2 s, with half of it for margin). */
export const ADVERSARIAL_MS = 1000;
