import { Command, Option } from 'clipanion';
import { clientFilter } from '../../../src/analytics/agency-lookup.ts';
import { withStore } from '../../store.ts';
import { AgencyListCommand, archivedCell, CATEGORY, COUNT_HEAD, countCells } from './listing.ts';

export class AgencyProjectsCommand extends AgencyListCommand {
  static override paths = [['agency', 'projects']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'List projects (of one client, or all) with their counts; archived ones with --all.',
    examples: [
      ['Projects of one client', '$0 agency projects --client acme'],
      ['Including archived ones', '$0 agency projects --all'],
    ],
  });

  client = Option.String('--client', { description: 'Client name or id' });

  async run(): Promise<number> {
    const projects = await withStore(this.context, async (store) =>
      store.agencyProjects({ ...(await clientFilter(store, this.client)), withArchived: this.all }),
    );
    this.list(
      projects,
      ['ID', 'CLIENT', 'PROJECT', 'SESSIONS', ...COUNT_HEAD, 'ARCHIVED'],
      (p) => [
        String(p.project_id),
        p.client,
        `${p.repository}/${p.project}`,
        String(p.sessions),
        ...countCells(p),
        archivedCell(p.archived_at),
      ],
      'No projects.',
    );
    return 0;
  }
}
