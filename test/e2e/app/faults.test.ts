import { afterEach, describe, expect, it } from 'vitest';
import { BLOB, CREATE, expectCalls, TOKEN, TREE, UPDATE, ZERO } from './calls.ts';
import { cleanSessions } from './docs.ts';
import { type Harness, logLines, startHarness, TARGET } from './harness.ts';
import { installationPayload, pushPayload } from './webhooks.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const statuses = (route: string) => h.github.calls.filter((c) => c.route === route).map((c) => c.status);

describe('GitHub failing', () => {
  it('a 502 on a blob is retried and the run succeeds', async () => {
    h = await startHarness();
    const sha = h.repo.commit(cleanSessions('s1'));
    h.github.fail({ route: BLOB, status: 502, body: { message: 'Server Error' } });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();
    expectCalls(h, { [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 2, [UPDATE]: 1 });
    expect(statuses(BLOB)).toEqual([502, 200]);
    expect(h.github.checkRuns[0]).toMatchObject({ conclusion: 'success' });
  });

  it('a persistent 5xx ends in a check run saying what failed, a log line, and a server still serving', async () => {
    h = await startHarness();
    const sha = h.repo.commit(cleanSessions('s1'));
    // The first try and all three retries fail.
    h.github.fail({ route: BLOB, status: 503, times: 4, body: { message: 'Service Unavailable' } });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();
    expectCalls(h, { [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 4, [UPDATE]: 1 });
    const [run] = h.github.checkRuns;
    expect(run).toMatchObject({
      conclusion: 'failure',
      output: { title: 'Could not validate: github-unavailable' },
    });
    expect(run!.output.summary).toContain('GET /repos/acme/docs/git/blobs/');
    expect(run!.output.summary).toContain('503');
    expect(logLines(h, 50).join('\n')).toMatch(/could not validate acme\/docs@\w{7}: GitHub did not answer/);

    // Still alive: health check, then the same push redelivered (the failed job was forgotten) succeeds.
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    h.github.reset();
    const again = pushPayload(TARGET, { before: ZERO, after: sha });
    expect((await h.send('push', again)).status).toBe(200);
    await h.settle();
    expectCalls(h, { [CREATE]: 1, [TREE]: 1, [BLOB]: 1, [UPDATE]: 1 });
    expect(h.github.checkRuns[1]).toMatchObject({ conclusion: 'success' });
  });

  it('when even the check run cannot be created, the log says so and nothing crashes', async () => {
    h = await startHarness();
    const sha = h.repo.commit(cleanSessions('s1'));
    h.github.fail({ route: CREATE, status: 500, times: 4 });
    const response = await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    expect(response.status).toBe(200);
    await h.settle();
    expectCalls(h, { [TOKEN]: 1, [CREATE]: 4 });
    expect(logLines(h, 50).join('\n')).toMatch(
      /could not open the check run for acme\/docs@\w{7}: .*github-unavailable/,
    );
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it('a rate limit (403 with retry-after) is waited out before the retry', async () => {
    h = await startHarness();
    const sha = h.repo.commit(cleanSessions('s1'));
    h.github.fail({
      route: BLOB,
      status: 403,
      headers: { 'retry-after': '1', 'x-ratelimit-remaining': '0' },
      body: { message: 'API rate limit exceeded for installation ID 77.' },
    });
    await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    await h.settle();
    expectCalls(h, { [TOKEN]: 1, [CREATE]: 1, [TREE]: 1, [BLOB]: 2, [UPDATE]: 1 });
    const [limited, retried] = h.github.calls.filter((c) => c.route === BLOB);
    expect([limited!.status, retried!.status]).toEqual([403, 200]);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    expect(h.github.checkRuns[0]).toMatchObject({ conclusion: 'success' });
    expect(logLines(h, 40).join('\n')).toContain('rate limit');
  });
});

describe('webhook signatures', () => {
  it('unsigned or badly signed deliveries are rejected and cause no GitHub call', async () => {
    h = await startHarness();
    const sha = h.repo.commit(cleanSessions('s1'));
    const push = pushPayload(TARGET, { before: ZERO, after: sha });
    const unsigned = await h.send('push', push, { signature: false });
    const wrongSecret = await h.send('push', push, { secret: 'not-the-secret' });
    const install = await h.send('installation', installationPayload(TARGET, 'created'), { secret: 'nope' });
    expect(unsigned.status).toBe(400);
    expect(wrongSecret.status).toBe(400);
    expect(install.status).toBe(400);
    await h.settle();
    expectCalls(h, {});
    expect(h.store.installations.size).toBe(0);
    expect(h.store.validations).toEqual([]);
  });
});
