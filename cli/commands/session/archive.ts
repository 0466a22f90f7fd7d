import { Command } from 'clipanion';
import { SessionToStatusCommand } from './status-change.ts';

export class SessionArchiveCommand extends SessionToStatusCommand {
  static override paths = [['session', 'archive']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Archive a session: it keeps its history and leaves the default views.',
    examples: [['Archive an abandoned session', '$0 session archive spike-cache']],
  });

  protected readonly status = 'archived';
}
