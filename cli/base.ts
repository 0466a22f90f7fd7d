import { Command } from 'clipanion';
import { isIdseError } from '../src/errors.ts';
import type { IdseContext } from './context.ts';

/**
 * Every command's failure path: user errors (IdseError) print one line and exit 2; anything else is
 * a bug, reported without a stack unless IDSE_DEBUG is set.
 */
export abstract class IdseCommand extends Command<IdseContext> {
  abstract run(): Promise<number>;

  async execute(): Promise<number> {
    try {
      return await this.run();
    } catch (error) {
      if (isIdseError(error)) {
        this.context.stderr.write(`idse: ${error.format()}\n`);
        return 2;
      }
      const debug = this.context.env.IDSE_DEBUG;
      const detail =
        debug && error instanceof Error
          ? (error.stack ?? error.message)
          : String((error as Error)?.message ?? error);
      this.context.stderr.write(
        `idse: internal error: ${detail}\n${debug ? '' : '(set IDSE_DEBUG=1 to see where)\n'}`,
      );
      return 2;
    }
  }

  protected print(text: string): void {
    this.context.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}
