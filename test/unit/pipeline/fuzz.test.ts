/**
 * The pipeline against random and adversarial markdown (issue 20). Whatever the text, turning it into
 * facts never throws, and it stays within the time budget: docs the limits scan finds small are
 * parsed on the calling thread, so they must take far less than the budget; the others go to a
 * worker, which must answer (facts or a too-complex finding) within the budget and its margin.
 * fast-check shrinks a failure to a small doc and prints the seed that replays it.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.ts';
import { computeFacts, docInputs, screenDoc } from '../../../src/model/build.ts';
import { factsSettingsOf } from '../../../src/model/facts-key.ts';
import { FactsPool } from '../../../src/run/facts-pool.ts';
import { ADVERSARIAL_MS, msToRun } from './elapsed.ts';
import { INLINE, markdown, PREFIX } from './markdown-arbitrary.ts';

const PATH = 'projects/p/sessions/s/specs/spec.md';
const config = ConfigSchema.parse({ limits: { parseMs: 200 } });
const settings = factsSettingsOf(config);
const docOf = (text: string) =>
  docInputs([{ path: PATH, size: text.length, content: new TextEncoder().encode(text) }], config)[0]!;

/** One risky piece repeated up to a few hundred KB, alone or around ordinary text. */
const adversarial = fc
  .tuple(
    fc.constantFrom(
      ...INLINE,
      ...PREFIX.filter(Boolean).map((p) => `${p}a\n`),
      'a\n=\n',
      '- a\n',
      '\r',
      '\n',
    ),
    fc.integer({ min: 1, max: 60_000 }),
    markdown,
  )
  .map(([piece, times, around]) => `${around}\n${piece.repeat(times)}\n${around}`);

describe('the pipeline on random markdown', () => {
  it('never throws, and parses small docs in far less than the budget', () => {
    fc.assert(
      fc.property(markdown, (text) => {
        const doc = docOf(text);
        const screened = screenDoc(doc, settings);
        if (!('text' in screened) || !screened.small) return;
        expect(msToRun(() => computeFacts(doc, settings))).toBeLessThan(ADVERSARIAL_MS);
      }),
      { numRuns: 400 },
    );
  });
});

describe('the pipeline on adversarial markdown', () => {
  const pool = new FactsPool({ size: 1 });
  afterAll(() => pool.close());

  it('scans any doc quickly, and parses a small one in far less than the budget', () => {
    fc.assert(
      fc.property(adversarial, (text) => {
        const doc = docOf(text);
        let screened: ReturnType<typeof screenDoc> | undefined;
        expect(msToRun(() => (screened = screenDoc(doc, settings)))).toBeLessThan(ADVERSARIAL_MS);
        if (!screened || !('text' in screened) || !screened.small) return;
        expect(msToRun(() => computeFacts(doc, settings))).toBeLessThan(ADVERSARIAL_MS);
      }),
      { numRuns: 150 },
    );
  });

  it('has a worker answer for any larger doc within the budget and its margin', async () => {
    // The margin covers the messages to and from the worker, stopping it, and a loaded machine;
    // each doc is measured with a warm worker (a replacement loading the parser is not its time).
    // Unchecked, some of these docs parse for minutes.
    const margin = 5000;
    await fc.assert(
      fc.asyncProperty(adversarial, async (text) => {
        const doc = docOf(text);
        await pool.warm(config);
        const started = performance.now();
        const resolve = await pool.prefetch([doc], config, undefined);
        const facts = resolve(doc);
        expect(performance.now() - started).toBeLessThan(config.limits.parseMs + margin);
        expect('problem' in facts ? facts.problem.kind : 'facts').toMatch(/^(facts|too-complex|too-large)$/);
      }),
      { numRuns: 8 },
    );
  });
});
