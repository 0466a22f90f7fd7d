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

describe('webhook bodies', () => {
  /**
   * Streams up to `total` bytes to the webhook route in 64 KB chunks (chunked, no length given),
   * signed with nothing valid, stopping when the server answers or closes. Returns what it answered
   * and how much was sent.
   */
  async function upload(url: string, total: number, headers: Record<string, string> = {}) {
    const { request } = await import('node:http');
    return new Promise<{ status: number; text: string; sent: number }>((resolve, reject) => {
      let sent = 0;
      let stop = false;
      const req = request(`${url}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': 'big-1',
          'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
          ...headers,
        },
      });
      req.on('response', (res) => {
        stop = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), sent }),
        );
      });
      req.on('error', (error) => (stop ? undefined : reject(error)));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!stop && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!stop) req.end();
      };
      pump();
    });
  }

  it("a body over GitHub's 25 MB is refused with 413 after at most that much is read, and the connection closed", async () => {
    h = await startHarness();
    const streamed = await upload(h.url, 600 * 1024 * 1024);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text)).toEqual({
      error: { code: 'payload-too-large', message: 'the request body is larger than 26214400 bytes' },
    });
    // What the sender got out before the answer: the limit plus what sockets buffer, not 600 MB.
    expect(streamed.sent).toBeLessThan(64 * 1024 * 1024);
    const declared = await upload(h.url, 64 * 1024, { 'content-length': String(50 * 1024 * 1024) });
    expect(declared.status).toBe(413);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expectCalls(h, {});
  });

  it('a signed delivery whose payload lacks what its event carries is a 400 with a plain message', async () => {
    h = await startHarness();
    const malformed = await h.send('push', {
      ref: 'refs/heads/main',
      installation: { id: 1 },
      repository: { id: 'x' },
    });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toEqual({
      error: 'MalformedWebhook: the push payload lacks fields GitHub always sends; nothing was done',
    });
    const noRepository = await h.send('pull_request', { action: 'opened', installation: { id: 1 } });
    expect(noRepository.status).toBe(400);
    expect(noRepository.text).not.toMatch(/TypeError|Cannot read/);
    await h.settle();
    expectCalls(h, {});
    expect(h.store.validations).toEqual([]);
  });
});
