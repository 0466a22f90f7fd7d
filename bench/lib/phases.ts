/** Where a run spent its time, read from the arrival times of the lines it printed. */
import { median, type RunResult, round } from './measure.ts';

export interface Phase {
  name: string;
  /** The line that ends the phase; the last phase ends when the process exits. */
  endsAt?: RegExp;
}

export interface PhaseTime {
  name: string;
  /** Median over the runs; null when the phase's line never came (another build logs differently). */
  ms: number | null;
}

/**
 * Each phase ends at the first line after the previous phase's end that matches its pattern. A
 * phase whose line is missing is folded into the next one found, so the durations always add up
 * to the run's wall time.
 */
function phasesOf(phases: readonly Phase[], run: RunResult): (number | null)[] {
  let from = 0;
  let at = 0;
  return phases.map(({ endsAt }) => {
    const end = endsAt ? run.lines.findIndex((l, i) => i >= from && endsAt.test(l.text)) : -1;
    if (endsAt && end === -1) return null;
    const ms = endsAt ? run.lines[end]!.ms : run.wallMs;
    const took = ms - at;
    at = ms;
    if (endsAt) from = end + 1;
    return took;
  });
}

export function phaseTimes(phases: readonly Phase[], runs: readonly RunResult[]): PhaseTime[] {
  const each = runs.map((run) => phasesOf(phases, run));
  return phases.map(({ name }, i) => {
    const times = each.map((t) => t[i]);
    return {
      name,
      ms: times.every((t): t is number => t !== null) ? round(median(times)) : null,
    };
  });
}

export function phaseTable(times: readonly PhaseTime[], wallMs: number): string {
  const rows = times.map(({ name, ms }) =>
    ms === null
      ? `| ${name} | (not logged: in the next phase) | |`
      : `| ${name} | ${ms.toFixed(0)} | ${((100 * ms) / wallMs).toFixed(0)}% |`,
  );
  return ['| Phase | Median (ms) | Share of wall |', '| --- | ---: | ---: |', ...rows].join('\n');
}
