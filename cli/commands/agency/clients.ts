import { Command, Option } from 'clipanion';
import { IdseCommand } from '../../base.ts';
import { withStore } from '../../store.ts';
import { AgencyListCommand, CATEGORY, COUNT_HEAD, countCells } from './listing.ts';

export class AgencyClientsCommand extends AgencyListCommand {
  static override paths = [['agency', 'clients']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'List the clients with their sessions, compliance, open markers and pass rate.',
    examples: [
      ['Every client', '$0 agency clients'],
      ['As JSON', '$0 agency clients --json'],
    ],
  });

  async run(): Promise<number> {
    const clients = await withStore(this.context, (store) => store.agencyClients({ withArchived: this.all }));
    this.list(
      clients,
      ['CLIENT', 'ID', 'REPOS', 'PROJECTS', 'SESSIONS', ...COUNT_HEAD],
      (c) => [
        c.client,
        c.client_id,
        String(c.repositories),
        String(c.projects),
        String(c.sessions),
        ...countCells(c),
      ],
      'No clients yet: install the GitHub App or add one with `idse agency clients add`.',
    );
    return 0;
  }
}

export class AgencyClientsAddCommand extends IdseCommand {
  static override paths = [['agency', 'clients', 'add']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'Add a client whose workspace syncs through the gateway instead of the GitHub App.',
    details:
      'Names are unique ignoring case; a GitHub client is found by its account login. Works on the store the environment names (see docs/store.md).',
    examples: [['Add a client', '$0 agency clients add acme']],
  });

  name = Option.String({ name: 'name' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  async run(): Promise<number> {
    const client = await withStore(this.context, (store) => store.createClient({ name: this.name }));
    this.print(
      this.json
        ? JSON.stringify(client)
        : `${client.created ? 'Added' : 'Already there:'} client ${client.name} (${client.client_id})`,
    );
    return 0;
  }
}
