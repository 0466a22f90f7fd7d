import { Command, Option } from 'clipanion';
import { SESSION_STATUSES } from '../../../src/sessions/record.ts';
import { StatusChangeCommand } from './status-change.ts';

export class SessionSetStatusCommand extends StatusChangeCommand {
  static override paths = [['session', 'set-status']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Set a session’s status: draft, in_progress, review, complete or archived.',
    details: `
      \`complete\` is refused (exit 1, the blocking findings listed) while the session would have errors once complete or has open tasks; \`review\` while its spec or plan has no content. \`--force\` goes past the gate and records who forced it, when, and what was blocking in \`session.json\` (\`status_override\`).
    `,
    examples: [
      ['The current session is in review', '$0 session set-status review'],
      ['Another session, as JSON', '$0 session set-status in_progress --session payments --json'],
    ],
  });

  status = Option.String({ name: 'status' });
  session = Option.String('-s,--session', { description: 'Session (default: the current one)' });

  async run(): Promise<number> {
    return this.change(this.session, this.oneOf('status', this.status, SESSION_STATUSES));
  }
}
