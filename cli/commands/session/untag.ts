import { Command } from 'clipanion';
import type { MetadataChange } from '../../../src/sessions/edit.ts';
import type { SessionRecord } from '../../../src/sessions/record.ts';
import { TagsCommand } from './metadata.ts';

export class SessionUntagCommand extends TagsCommand {
  static override paths = [['session', 'untag']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Remove tags from a session.',
    examples: [['Untag the current session', '$0 session untag critical']],
  });

  protected changeOf(record: SessionRecord): MetadataChange | string {
    const kept = record.tags.filter((t) => !this.tags.includes(t));
    return kept.length < record.tags.length ? { tags: kept } : 'it has none of the tags given';
  }
}
