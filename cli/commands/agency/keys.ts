import { Command, Option } from 'clipanion';
import { clientNamed } from '../../../src/analytics/agency-lookup.ts';
import { generateApiKey } from '../../../src/auth/keys.ts';
import { IdseError } from '../../../src/errors.ts';
import type { ApiKeyRecord } from '../../../src/store/keys.ts';
import { IdseCommand } from '../../base.ts';
import { withStore } from '../../store.ts';
import { renderTable } from '../../table.ts';
import { CATEGORY } from './listing.ts';

export class AgencyKeysCreateCommand extends IdseCommand {
  static override paths = [['agency', 'keys', 'create']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'Create an API key: a sync key for a client workspace, or an admin key for the dashboard.',
    details: `
      The key is printed once; the store keeps only its SHA-256. A sync key belongs to one client and, with \`--project\`, to one of its projects. An admin key with \`--client\` sees that client only; without it, every client (agency-wide).
    `,
    examples: [
      ['Sync key for one project', '$0 agency keys create --client acme --project payments'],
      ['Agency-wide admin key', '$0 agency keys create --admin --label "ops team"'],
    ],
  });

  client = Option.String('--client', { description: 'Client name or id' });
  project = Option.String('--project', { description: 'Limit a sync key to one project' });
  admin = Option.Boolean('--admin', false, { description: 'An admin key (dashboard, admin API)' });
  label = Option.String('--label', '', { description: 'What the key is for, shown in lists' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  async run(): Promise<number> {
    const scope = this.admin ? 'admin' : 'sync';
    if (scope === 'sync' && !this.client) throw new IdseError('usage', 'a sync key needs --client');
    if (scope === 'admin' && this.project)
      throw new IdseError('usage', '--project applies to sync keys only');
    const { key, hash, prefix } = generateApiKey(scope);
    const record = await withStore(this.context, async (store) =>
      store.createApiKey({
        client_id: this.client ? (await clientNamed(store, this.client)).client_id : null,
        project: this.project ?? null,
        scope,
        label: this.label,
        key_prefix: prefix,
        key_hash: hash,
      }),
    );
    if (this.json) this.print(JSON.stringify({ ...record, key }));
    else
      this.print(
        `Created ${scope} key ${record.id}${describeReach(record)}. Keep it now; it is not shown again:\n${key}`,
      );
    return 0;
  }
}

export class AgencyKeysListCommand extends IdseCommand {
  static override paths = [['agency', 'keys', 'list']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'List API keys (never the keys themselves: their prefix, reach and use).',
  });

  client = Option.String('--client', { description: 'Only the keys of this client (name or id)' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  async run(): Promise<number> {
    const keys = await withStore(this.context, async (store) =>
      store.listApiKeys(this.client ? (await clientNamed(store, this.client)).client_id : undefined),
    );
    if (this.json) {
      this.print(JSON.stringify(keys));
      return 0;
    }
    if (keys.length === 0) {
      this.print('No API keys. Create one with `idse agency keys create`.');
      return 0;
    }
    const rows = keys.map((k) => [
      String(k.id),
      k.scope,
      `${k.key_prefix}…`,
      k.client_id ?? 'all clients',
      k.project ?? '',
      k.label,
      k.revoked_at
        ? `revoked ${k.revoked_at.slice(0, 10)}`
        : k.last_used_at
          ? `used ${k.last_used_at.slice(0, 10)}`
          : 'unused',
    ]);
    this.print(renderTable(['ID', 'SCOPE', 'KEY', 'CLIENT', 'PROJECT', 'LABEL', 'STATE'], rows));
    return 0;
  }
}

export class AgencyKeysRevokeCommand extends IdseCommand {
  static override paths = [['agency', 'keys', 'revoke']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description:
      'Revoke an API key: it stops working at once, and so do the tokens and dashboard sessions it opened.',
    examples: [['Revoke key 12', '$0 agency keys revoke 12']],
  });

  id = Option.String({ name: 'id' });

  async run(): Promise<number> {
    const id = Number(this.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new IdseError('usage', `not a key id: ${this.id}`);
    const revoked = await withStore(this.context, (store) => store.revokeApiKey(id));
    if (!revoked) throw new IdseError('usage', `no live key ${id} (unknown or already revoked)`);
    this.print(`Revoked key ${id}.`);
    return 0;
  }
}

const describeReach = (k: ApiKeyRecord): string =>
  k.client_id === null
    ? ' for all clients'
    : ` for client ${k.client_id}${k.project ? `, project ${k.project}` : ''}`;
