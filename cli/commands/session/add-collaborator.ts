import { Command, Option } from 'clipanion';
import { IdseError } from '../../../src/errors.ts';
import { checkOwner } from '../../../src/scaffold/plan.ts';
import type { MetadataChange } from '../../../src/sessions/edit.ts';
import { COLLABORATOR_ROLES, type SessionRecord } from '../../../src/sessions/record.ts';
import { CollaboratorCommand } from './metadata.ts';

export class SessionAddCollaboratorCommand extends CollaboratorCommand {
  static override paths = [['session', 'add-collaborator']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Add a collaborator to a session (session.json `collaborators`).',
    examples: [['Bob reviews the current session', '$0 session add-collaborator bob --role reviewer']],
  });

  role = Option.String('--role', 'contributor', { description: `Role: ${COLLABORATOR_ROLES.join(', ')}` });

  protected changeOf(record: SessionRecord): MetadataChange | string {
    this.oneOf('role', this.role, COLLABORATOR_ROLES);
    const problem = checkOwner(this.name);
    if (problem) throw new IdseError('usage', problem.replace('owner', 'collaborator'));
    if (record.collaborators.some((c) => c.name === this.name))
      throw new IdseError('usage', `${this.name} is already a collaborator of ${record.id}`);
    return {
      collaborators: [...record.collaborators, { name: this.name, role: this.role, joined_at: this.stamp() }],
    };
  }
}
