import { Command, Option } from 'clipanion';
import { StatusChangeCommand } from './status-change.ts';

export class SessionArchiveCommand extends StatusChangeCommand {
  static override paths = [['session', 'archive']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Archive a session: it keeps its history and leaves the default views.',
    examples: [['Archive an abandoned session', '$0 session archive spike-cache']],
  });

  name = Option.String({ name: 'session', required: false });

  async run(): Promise<number> {
    return this.change(this.name, 'archived');
  }
}
