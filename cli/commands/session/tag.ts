import { Command } from 'clipanion';
import type { MetadataChange } from '../../../src/sessions/edit.ts';
import type { SessionRecord } from '../../../src/sessions/record.ts';
import { TagsCommand } from './metadata.ts';

export class SessionTagCommand extends TagsCommand {
  static override paths = [['session', 'tag']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Add tags to a session (session.json and meta.md).',
    examples: [['Tag the current session', '$0 session tag payments critical']],
  });

  protected changeOf(record: SessionRecord): MetadataChange | string {
    const added = [...new Set(this.tags)].filter((t) => !record.tags.includes(t));
    return added.length ? { tags: [...record.tags, ...added] } : 'it already has every tag given';
  }
}
