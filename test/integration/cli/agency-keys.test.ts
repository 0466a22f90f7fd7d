/**
 * `idse agency clients add` and `idse agency keys …` against the real Postgres, then the keys they
 * printed checked the way the gateway and dashboard check them.
 */
import { describe, expect, it } from 'vitest';
import { authenticateKey } from '../../../src/auth/authenticate.ts';
import { AuthError } from '../../../src/auth/errors.ts';
import { openStore } from '../../../src/store/factory.ts';
import { idse, tempDir } from '../../helpers/cli.ts';
import { useTestDatabase } from '../../helpers/postgres.ts';

const database = useTestDatabase('idse_cli_keys');

describe('idse agency keys', () => {
  it('adds a client, creates scoped keys shown once, lists and revokes them', async () => {
    const cwd = tempDir();
    const env = { IDSE_STORE: 'postgres', DATABASE_URL: database().url };
    const run = (...args: string[]) => idse(args, { cwd, env });

    const added = await run('agency', 'clients', 'add', 'Acme', '--json');
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const client = JSON.parse(added.stdout) as { client_id: string; created: boolean };
    expect(client.created).toBe(true);
    expect((await run('agency', 'clients', 'add', 'acme')).stdout).toBe(
      `Already there: client Acme (${client.client_id})\n`,
    );

    const created = await run(
      'agency',
      'keys',
      'create',
      '--client',
      'ACME',
      '--project',
      'payments',
      '--json',
    );
    expect(created.code).toBe(0);
    const sync = JSON.parse(created.stdout) as {
      id: number;
      key: string;
      client_id: string;
      project: string;
    };
    expect(sync).toMatchObject({ client_id: client.client_id, project: 'payments', scope: 'sync' });
    const admin = await run('agency', 'keys', 'create', '--admin', '--label', 'ops');
    expect(admin.code).toBe(0);
    expect(admin.stdout).toMatch(
      /^Created admin key \d+ for all clients\. Keep it now; it is not shown again:\nidse_admin_\S{43}\n$/,
    );
    const adminKey = admin.stdout.trim().split('\n')[1]!;

    const listed = await run('agency', 'keys', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(sync.key);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+SCOPE\s+KEY\s+CLIENT\s+PROJECT\s+LABEL\s+STATE$/);
    expect(listed.stdout).toMatch(/sync\s+idse_sync_\S{6}…\s+[0-9a-f-]{36}\s+payments\s+unused/);
    expect(listed.stdout).toMatch(/admin\s+idse_admin_\S{6}…\s+all clients\s+ops\s+unused/);

    const store = await openStore({ env, cwd });
    try {
      expect(await authenticateKey(store, sync.key, 'sync')).toMatchObject({
        id: sync.id,
        project: 'payments',
      });
      expect(await authenticateKey(store, adminKey, 'admin')).toMatchObject({
        client_id: null,
        scope: 'admin',
      });
      // A real key of the wrong scope, and a near miss of a real key, are both just invalid.
      await expect(authenticateKey(store, sync.key, 'admin')).rejects.toThrow(AuthError);
      await expect(authenticateKey(store, `${sync.key.slice(0, -1)}x`, 'sync')).rejects.toMatchObject({
        code: 'key-invalid',
      });

      expect(await run('agency', 'keys', 'revoke', String(sync.id))).toMatchObject({
        code: 0,
        stdout: `Revoked key ${sync.id}.\n`,
      });
      await expect(authenticateKey(store, sync.key, 'sync')).rejects.toMatchObject({ code: 'key-invalid' });
    } finally {
      await store.close();
    }
    expect(await run('agency', 'keys', 'revoke', String(sync.id))).toMatchObject({
      code: 2,
      stderr: `idse: no live key ${sync.id} (unknown or already revoked) [usage]\n`,
    });
    const keys = JSON.parse((await run('agency', 'keys', 'list', '--client', 'acme', '--json')).stdout);
    expect(keys).toEqual([expect.objectContaining({ id: sync.id, revoked_at: expect.any(String) })]);
  });

  it('refuses keys it cannot place, with one coded line', async () => {
    const cwd = tempDir();
    const env = { IDSE_STORE: 'postgres', DATABASE_URL: database().url };
    expect(await idse(['agency', 'keys', 'create'], { cwd, env })).toMatchObject({
      code: 2,
      stderr: 'idse: a sync key needs --client [usage]\n',
    });
    expect(await idse(['agency', 'keys', 'create', '--client', 'nobody'], { cwd, env })).toMatchObject({
      code: 2,
      stderr: "idse: no client 'nobody' (add one with `idse agency clients add`) [usage]\n",
    });
    expect(await idse(['agency', 'keys', 'create', '--admin', '--project', 'x'], { cwd, env })).toMatchObject(
      {
        code: 2,
        stderr: 'idse: --project applies to sync keys only [usage]\n',
      },
    );
  });
});
