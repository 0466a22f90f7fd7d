import type { IdseContext } from './context.ts';

/**
 * Progress of long work, for a person at a terminal: one line on stderr, rewritten in place with the
 * time so far, cleared when the work is done. Only when stderr is a terminal, never in CI (`CI` set)
 * and never when the command writes for machines (`--json`, a non-pretty format): logs and pipes
 * stay clean.
 */
export interface Progress {
  /** What is being done now, e.g. `parsing 4,000 docs`. */
  say(text: string): void;
  /** Clears the line. */
  done(): void;
}

const SILENT: Progress = { say: () => {}, done: () => {} };

export function progressFor(context: IdseContext, forPeople = true): Progress {
  const stderr = context.stderr as NodeJS.WriteStream;
  const ci = context.env.CI !== undefined && context.env.CI !== '' && context.env.CI !== 'false';
  if (!forPeople || !stderr.isTTY || ci) return SILENT;
  const started = Date.now();
  let text = '';
  const draw = () => {
    if (!text) return;
    const seconds = Math.floor((Date.now() - started) / 1000);
    stderr.write(`\r\x1b[2Kidse: ${text}…${seconds ? ` ${seconds} s` : ''}`);
  };
  const timer = setInterval(draw, 1000);
  timer.unref();
  return {
    say(next) {
      text = next;
      draw();
    },
    done() {
      clearInterval(timer);
      stderr.write('\r\x1b[2K');
    },
  };
}
