import { Command, Option } from 'clipanion';
import { IdseError } from '../../../src/errors.ts';
import { checkOwner } from '../../../src/scaffold/plan.ts';
import { metadataEdits, withFreshMetadata } from '../../../src/sessions/apply.ts';
import type { MetadataChange } from '../../../src/sessions/edit.ts';
import { COLLABORATOR_ROLES, readRecord, type SessionRecord } from '../../../src/sessions/record.ts';
import { editProjectFiles } from '../../../src/sessions/write.ts';
import { SessionCommand } from './new.ts';

/** Edits of owner, collaborators and tags: each reads the record, decides the change, writes it. */
abstract class MetadataCommand extends SessionCommand {
  session = Option.String('-s,--session', { description: 'Session (default: the current one)' });

  /** The change to make, or a sentence saying why there is nothing to do. */
  protected abstract changeOf(record: SessionRecord): MetadataChange | string;

  async run(): Promise<number> {
    const loaded = await this.load();
    const project = this.pickProject(loaded);
    const session = this.pickSession(project, this.session);
    const stamp = this.stamp();
    let change: MetadataChange | string = '';
    // The change is computed from the files as they are once the lock is held: a concurrent edit
    // (another tag, another collaborator) is built on, not lost.
    const written = await editProjectFiles(loaded.root, project.dir, () => {
      const fresh = withFreshMetadata(loaded.root, session);
      change = this.changeOf(readRecord(fresh));
      return typeof change === 'string' ? new Map() : metadataEdits(fresh, change, stamp);
    });
    const where = `${project.name}/${session.name}`;
    if (typeof change === 'string') {
      this.report(
        { project: project.name, session: session.name, changed: false, written },
        `${where}: ${change}`,
      );
      return 0;
    }
    this.report(
      { project: project.name, session: session.name, changed: true, ...(change as MetadataChange), written },
      `${where}: updated ${written.join(', ')}.`,
    );
    return 0;
  }
}

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

export class SessionAddCollaboratorCommand extends MetadataCommand {
  static override paths = [['session', 'add-collaborator']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Add a collaborator to a session (session.json `collaborators`).',
    examples: [['Bob reviews the current session', '$0 session add-collaborator bob --role reviewer']],
  });

  name = Option.String({ name: 'name' });
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

export class SessionRemoveCollaboratorCommand extends MetadataCommand {
  static override paths = [['session', 'remove-collaborator']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Remove a collaborator from a session.',
    examples: [['Bob leaves the current session', '$0 session remove-collaborator bob']],
  });

  name = Option.String({ name: 'name' });

  protected changeOf(record: SessionRecord): MetadataChange | string {
    if (!record.collaborators.some((c) => c.name === this.name))
      throw new IdseError('usage', `${this.name} is not a collaborator of ${record.id}`);
    return { collaborators: record.collaborators.filter((c) => c.name !== this.name) };
  }
}

export class SessionTagCommand extends MetadataCommand {
  static override paths = [['session', 'tag']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Add tags to a session (session.json and meta.md).',
    examples: [['Tag the current session', '$0 session tag payments critical']],
  });

  tags = Option.Rest({ required: 1, name: 'tags' });

  protected changeOf(record: SessionRecord): MetadataChange | string {
    const added = [...new Set(this.tags)].filter((t) => !record.tags.includes(t));
    return added.length ? { tags: [...record.tags, ...added] } : 'it already has every tag given';
  }
}

export class SessionUntagCommand extends MetadataCommand {
  static override paths = [['session', 'untag']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Remove tags from a session.',
    examples: [['Untag the current session', '$0 session untag critical']],
  });

  tags = Option.Rest({ required: 1, name: 'tags' });

  protected changeOf(record: SessionRecord): MetadataChange | string {
    const kept = record.tags.filter((t) => !this.tags.includes(t));
    return kept.length < record.tags.length ? { tags: kept } : 'it has none of the tags given';
  }
}

export const SESSION_META_COMMANDS = [
  SessionSetOwnerCommand,
  SessionAddCollaboratorCommand,
  SessionRemoveCollaboratorCommand,
  SessionTagCommand,
  SessionUntagCommand,
];
