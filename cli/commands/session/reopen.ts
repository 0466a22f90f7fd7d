import { Command } from 'clipanion';
import { IdseError } from '../../../src/errors.ts';
import type { SessionModel } from '../../../src/model/model.ts';
import { readRecord } from '../../../src/sessions/record.ts';
import { SessionToStatusCommand } from './status-change.ts';

const CLOSED = new Set(['complete', 'archived']);

export class SessionReopenCommand extends SessionToStatusCommand {
  static override paths = [['session', 'reopen']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Reopen a complete or archived session (its status becomes in_progress).',
    examples: [['Reopen a closed session', '$0 session reopen payments']],
  });

  protected readonly status = 'in_progress';

  protected override precondition(session: SessionModel): void {
    const status = readRecord(session).status;
    if (!CLOSED.has(status ?? ''))
      throw new IdseError(
        'usage',
        `${session.project}/${session.name} is '${status ?? 'without a status'}', not closed`,
      );
  }
}
