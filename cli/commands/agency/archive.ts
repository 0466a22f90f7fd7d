import { Command, Option } from 'clipanion';
import { archiveTarget, parseTarget } from '../../../src/analytics/agency-lookup.ts';
import { IdseCommand } from '../../base.ts';
import { withStore } from '../../store.ts';
import { CATEGORY } from './listing.ts';

export class AgencyArchiveCommand extends IdseCommand {
  static override paths = [['agency', 'archive']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description:
      'Archive a project or a session: it leaves the lists, reports and dashboard, and keeps its history.',
    details:
      'Name a project as `owner/repo/project` and a session as `owner/repo/project/session`, as the lists print them. `--all` shows archived items again; `idse agency unarchive` brings one back.',
    examples: [
      ['Archive a project', '$0 agency archive acme/docs/payments'],
      ['Archive one session', '$0 agency archive acme/docs/payments/kickoff'],
    ],
  });

  target = Option.String({ name: 'project-or-session' });
  client = Option.String('--client', {
    description: 'Client name or id, when two clients have the repository',
  });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  protected readonly archived: boolean = true;

  async run(): Promise<number> {
    const target = parseTarget(this.target);
    const result = await withStore(this.context, (store) =>
      archiveTarget(store, target, { client: this.client, archived: this.archived }),
    );
    if (this.json) this.print(JSON.stringify(result));
    else
      this.print(
        result.archived_at
          ? `Archived ${result.kind} ${this.target} (since ${result.archived_at.slice(0, 10)}).`
          : `${result.kind === 'project' ? 'Project' : 'Session'} ${this.target} is back in the default views.`,
      );
    return 0;
  }
}

export class AgencyUnarchiveCommand extends AgencyArchiveCommand {
  static override paths = [['agency', 'unarchive']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'Bring an archived project or session back into the default views.',
    examples: [['Bring a project back', '$0 agency unarchive acme/docs/payments']],
  });

  protected override readonly archived: boolean = false;
}
