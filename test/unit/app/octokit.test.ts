/**
 * GitHub asks an integration to space its writes a second apart. The App's client does, per
 * installation; an App that starts after another in the same process (an in-process restart, a
 * second test's App) does not wait out the first one's writes, as a new process would not.
 */
import { describe, expect, it } from 'vitest';
import { idseOctokit } from '../../../src/app/github/octokit.ts';

/** A client of one App for installation 77, and the times at which its writes reached GitHub. */
function clientOf(Octokit: ReturnType<typeof idseOctokit>, sent: number[]) {
  const fetch: typeof globalThis.fetch = async () => {
    sent.push(performance.now());
    return new Response(JSON.stringify({ id: 1 }), {
      status: 201,
      headers: { 'content-type': 'application/json' },
    });
  };
  return new Octokit({ request: { fetch }, throttle: { id: '77' } });
}

const write = (gh: ReturnType<typeof clientOf>) =>
  gh.rest.checks.create({ owner: 'acme', repo: 'docs', name: 'idse', head_sha: 'a'.repeat(40) });

describe('write spacing', () => {
  it("spaces one App's writes a second apart, and no other App's", async () => {
    const first = idseOctokit();
    const sent: number[] = [];
    await write(clientOf(first, sent));
    // The same App, even through a new client (each job has one): the second write waits.
    await write(clientOf(first, sent));
    // Another App in the process, right after: not held back by the first one's writes.
    await write(clientOf(idseOctokit(), sent));
    // The limiter spaces the starts of writes; the requests themselves follow a few ms later or earlier.
    const [a = 0, b = 0, c = 0] = sent;
    expect(b - a).toBeGreaterThan(800);
    expect(c - b).toBeLessThan(500);
  });
});
