import { Command, Option } from 'clipanion';
import { IdseError } from '../../../src/errors.ts';
import { readRecord } from '../../../src/sessions/record.ts';
import { CLOSED, StatusChangeCommand } from './status-change.ts';

export class SessionReopenCommand extends StatusChangeCommand {
  static override paths = [['session', 'reopen']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Reopen a complete or archived session (its status becomes in_progress).',
    examples: [['Reopen a closed session', '$0 session reopen payments']],
  });

  name = Option.String({ name: 'session', required: false });

  async run(): Promise<number> {
    return this.change(this.name, 'in_progress', (session) => {
      const status = readRecord(session).status;
      if (!CLOSED.has(status ?? ''))
        throw new IdseError(
          'usage',
          `${session.project}/${session.name} is '${status ?? 'without a status'}', not closed`,
        );
    });
  }
}
