/**
 * Issue 20: one doc must not stall the App. Docs are parsed by worker threads with a time budget;
 * docs past a limit are refused before parsing. Either way the event loop stays free for webhooks
 * and health checks, and the doc gets one finding while the rest of the commit is validated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ZERO } from './calls.ts';
import { cleanSessions, sessionDir } from './docs.ts';
import { type Harness, startHarness, TARGET } from './harness.ts';
import { pushPayload } from './webhooks.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** Milliseconds each /healthz took, asked for every 25 ms until `until` settles. */
async function healthWhile(url: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const took: number[] = [];
  while (!done) {
    const start = performance.now();
    const response = await fetch(`${url}/healthz`);
    await response.text();
    took.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 25));
  }
  return took;
}

describe('adversarial docs in a push', () => {
  it('are reported as too complex while /healthz keeps answering and the rest is validated', async () => {
    h = await startHarness();
    const dir = sessionDir('demo', 's1');
    const sha = h.repo.commit({
      ...cleanSessions('s1'),
      // The reproduction: 16 KB that took the App's event loop 12 s. Refused by the scan.
      [`${dir}/specs/spec.md`]: `# S\n\n${'a\n=\n'.repeat(4000)}`,
      // Within the limits (raised below), yet many seconds of parsing on any machine: each closed
      // list item costs the parser a pass over the doc. Stopped by the time budget in its worker.
      [`${dir}/plans/plan.md`]: '- a\n'.repeat(20_000),
      'idse.config.yml': 'limits:\n  maxLines: 50000\n',
      // A doc beside them is validated as usual: the intent being written still asks for input.
      [`${dir}/intents/intent.md`]:
        '# Intent: s1\n\n## Goal\n\nShorter links.\n\n## Scope\n\n[REQUIRES INPUT]\n',
    });
    const response = await h.send('push', pushPayload(TARGET, { before: ZERO, after: sha }));
    expect(response.status).toBe(200);

    const took = await healthWhile(h.url, h.settle());
    // The job ran for a second or more (the budget); /healthz was asked during it and answered
    // promptly each time. A parse on the event loop held it for seconds.
    expect(took.length).toBeGreaterThan(10);
    expect(Math.max(...took)).toBeLessThan(500);

    // Findings about a whole file carry no line, so they are in the summary, not annotations.
    const summary = h.github.checkRuns[0]!.output.summary;
    expect(summary).toContain(
      '- **IDSE028**: doc has 4000 headings underlined with === or ---, more than limits.maxSetextHeadings (500); not validated',
    );
    expect(summary).toContain(
      '- **IDSE028**: doc took longer than 1000 ms to parse (limits.parseMs); not validated',
    );
    expect(summary).toContain('- **IDSE010** line 9: unresolved input');
  });
});
