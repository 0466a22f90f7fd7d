import { Command, Option } from 'clipanion';
import { resolveScope } from '../../../src/analytics/agency-lookup.ts';
import { withStore } from '../../store.ts';
import { AgencyListCommand, archivedCell, CATEGORY, COUNT_HEAD, countCells } from './listing.ts';

export class AgencySessionsCommand extends AgencyListCommand {
  static override paths = [['agency', 'sessions']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'List sessions (of one project, or all) with their latest state; archived ones with --all.',
    examples: [
      ['Sessions of a project', '$0 agency sessions --project acme/docs/payments'],
      ['Every session of a client', '$0 agency sessions --client acme'],
    ],
  });

  client = Option.String('--client', { description: 'Client name or id' });
  project = Option.String('--project', { description: 'owner/repo/project, or a project id' });

  async run(): Promise<number> {
    const sessions = await withStore(this.context, async (store) =>
      store.agencySessions({
        ...(await resolveScope(store, { client: this.client, project: this.project })),
        withArchived: this.all,
      }),
    );
    this.list(
      sessions,
      ['ID', 'SESSION', 'STAGE', 'ERRORS', ...COUNT_HEAD, 'ARCHIVED'],
      (s) => [
        String(s.session_id),
        `${s.repository}/${s.project}/${s.session}`,
        s.stage ?? '–',
        s.errors === null ? '–' : String(s.errors),
        ...countCells(s),
        archivedCell(s.archived_at),
      ],
      'No sessions.',
    );
    return 0;
  }
}
