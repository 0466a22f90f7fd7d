import { Option } from 'clipanion';
import { metadataEdits, withFreshMetadata } from '../../../src/sessions/apply.ts';
import type { MetadataChange } from '../../../src/sessions/edit.ts';
import { readRecord, type SessionRecord } from '../../../src/sessions/record.ts';
import { editProjectFiles } from '../../../src/sessions/write.ts';
import { SessionCommand } from './base.ts';

/** Edits of owner, collaborators and tags: each reads the record, decides the change, writes it. */
export abstract class MetadataCommand extends SessionCommand {
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

/** `session tag|untag <tags…>`. */
export abstract class TagsCommand extends MetadataCommand {
  tags = Option.Rest({ required: 1, name: 'tags' });
}

/** `session add-collaborator|remove-collaborator <name>`. */
export abstract class CollaboratorCommand extends MetadataCommand {
  name = Option.String({ name: 'name' });
}
