import { Command } from 'clipanion';
import { IdseError } from '../../../src/errors.ts';
import type { MetadataChange } from '../../../src/sessions/edit.ts';
import type { SessionRecord } from '../../../src/sessions/record.ts';
import { CollaboratorCommand } from './metadata.ts';

export class SessionRemoveCollaboratorCommand extends CollaboratorCommand {
  static override paths = [['session', 'remove-collaborator']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Remove a collaborator from a session.',
    examples: [['Bob leaves the current session', '$0 session remove-collaborator bob']],
  });

  protected changeOf(record: SessionRecord): MetadataChange | string {
    if (!record.collaborators.some((c) => c.name === this.name))
      throw new IdseError('usage', `${this.name} is not a collaborator of ${record.id}`);
    return { collaborators: record.collaborators.filter((c) => c.name !== this.name) };
  }
}
