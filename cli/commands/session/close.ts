import { Command } from 'clipanion';
import { SessionToStatusCommand } from './status-change.ts';

export class SessionCloseCommand extends SessionToStatusCommand {
  static override paths = [['session', 'close']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Mark a session complete, if nothing blocks it.',
    details: `
      Refused (exit 1, nothing written) while the session has errors, would have some once complete (feedback without content: IDSE021), or has open tasks; \`--force\` closes it anyway and records the override.
    `,
    examples: [
      ['Close the current session', '$0 session close'],
      ['Close one despite open tasks', '$0 session close payments --force'],
    ],
  });

  protected readonly status = 'complete';
}
