import { afterEach, describe, expect, it } from 'vitest';
import { expectCalls } from './calls.ts';
import { type Harness, startHarness, TARGET } from './harness.ts';
import { installationPayload, installationRepositoriesPayload } from './webhooks.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('installations', () => {
  it('record the client and its repositories, follow repositories added and removed, forget on uninstall', async () => {
    h = await startHarness();
    expect((await h.send('installation', installationPayload(TARGET, 'created'))).status).toBe(200);
    const recorded = h.store.installations.get(TARGET.installationId);
    expect(recorded?.installation).toMatchObject({
      id: TARGET.installationId,
      account: { login: expect.any(String) },
    });
    expect([...recorded!.repositories.values()]).toEqual([
      { id: TARGET.repoId, fullName: 'acme/docs', private: false },
    ]);

    await h.send(
      'installation_repositories',
      installationRepositoriesPayload(TARGET, 'added', [
        { id: 7001, name: 'specs' },
        { id: 7002, name: 'handbook' },
      ]),
    );
    await h.send(
      'installation_repositories',
      installationRepositoriesPayload(TARGET, 'removed', [{ id: TARGET.repoId, name: 'docs' }]),
    );
    expect([...recorded!.repositories.keys()].sort()).toEqual([7001, 7002]);

    expect((await h.send('installation', installationPayload(TARGET, 'deleted'))).status).toBe(200);
    expect(h.store.installations.has(TARGET.installationId)).toBe(false);
    // All of it comes from the payloads: no GitHub call, not even for a token.
    expectCalls(h, {});
  });
});
