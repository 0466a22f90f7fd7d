import type { BaseContext } from 'clipanion';

/** What commands get besides the standard streams: where they run and what time it is. */
export interface IdseContext extends BaseContext {
  cwd: string;
  now: () => Date;
}
