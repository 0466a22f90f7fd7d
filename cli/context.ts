import { type BaseContext, Cli } from 'clipanion';
import { shouldUseColor } from '../src/report/pretty.ts';

/** What commands get besides the standard streams: where they run and what time it is. */
export interface IdseContext extends BaseContext {
  cwd: string;
  now: () => Date;
}

/** The context of a real process: its streams, cwd and clock. */
export function processContext(): IdseContext {
  // Clipanion's default colour depth reads TERM, not the stream: piped output got escape codes.
  const colorDepth = shouldUseColor(process.stdout, process.env)
    ? (process.stdout.getColorDepth?.() ?? 8)
    : 1;
  return { ...Cli.defaultContext, colorDepth, cwd: process.cwd(), now: () => new Date() };
}
