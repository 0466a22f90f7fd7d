import type { Report } from '../../src/report/schema.ts';
import type { FailOn } from './inputs.ts';

/** Why the step fails on its findings, or undefined when `fail-on` lets it pass. */
export function verdict(summary: Report['summary'], failOn: FailOn): string | undefined {
  const { errors, warnings } = summary;
  const failing = failOn === 'error' ? errors > 0 : failOn === 'warning' ? errors + warnings > 0 : false;
  if (!failing) return undefined;
  return `idse: ${plural(errors, 'error')} and ${plural(warnings, 'warning')} in IDSE docs (fail-on: ${failOn})`;
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
