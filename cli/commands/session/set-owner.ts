import { Command, Option } from 'clipanion';
import { IdseError } from '../../../src/errors.ts';
import { checkOwner } from '../../../src/scaffold/plan.ts';
import type { MetadataChange } from '../../../src/sessions/edit.ts';
import type { SessionRecord } from '../../../src/sessions/record.ts';
import { MetadataCommand } from './metadata.ts';

export class SessionSetOwnerCommand extends MetadataCommand {
  static override paths = [['session', 'set-owner']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Set a session’s owner in session.json, meta.md and .owner alike.',
    examples: [['The current session is Alice’s', '$0 session set-owner @alice']],
  });

  owner = Option.String({ name: 'owner' });

  protected changeOf(record: SessionRecord): MetadataChange | string {
    const problem = checkOwner(this.owner);
    if (problem) throw new IdseError('usage', problem);
    return record.owner === this.owner ? `the owner is already ${this.owner}` : { owner: this.owner };
  }
}
