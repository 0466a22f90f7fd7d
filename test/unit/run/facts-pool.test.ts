import { deserialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { type ConfigInput, ConfigSchema } from '../../../src/config/schema.ts';
import { computeFacts, docInputs } from '../../../src/model/build.ts';
import { factsSettingsOf } from '../../../src/model/facts-key.ts';
import type { SourceFile } from '../../../src/model/source.ts';
import { FactsPool, prefetchFacts } from '../../../src/run/facts-pool.ts';
import { SLAB_BYTES } from '../../../src/run/slabs.ts';

const file = (path: string, text: string): SourceFile => {
  const content = new TextEncoder().encode(text);
  return { path, size: content.byteLength, content };
};

const SPEC = 'projects/p/sessions/s/specs/spec.md';
const INTENT = 'projects/p/sessions/s/intents/intent.md';
const PLAN = 'projects/p/sessions/s/plans/plan.md';
const intent = file(INTENT, '# Intent: s\n\n## Goal\n\nShip FR-1.\n');
const plan = file(PLAN, '# Plan: s\n\n## 1. Architecture Summary\n\nOne service.\n');
/**
 * Within the limits (maxLines raised where it is used), yet many seconds of parsing on any machine:
 * each closed list item costs the parser a pass over the doc.
 */
const slow = file(SPEC, '- a\n'.repeat(20_000));

async function factsOf(pool: FactsPool, files: SourceFile[], input: ConfigInput) {
  const config = ConfigSchema.parse(input);
  const docs = docInputs(files, config);
  const resolve = await pool.prefetch(docs, config, undefined);
  return new Map(docs.map((d) => [d.path, resolve(d)]));
}

describe('FactsPool (a server pool: every doc parsed by a worker)', () => {
  const pool = new FactsPool({ size: 1 });
  afterAll(() => pool.close());

  it('reports a doc past the time budget and parses the rest of its batch', async () => {
    const facts = await factsOf(pool, [intent, slow, plan], { limits: { parseMs: 500, maxLines: 50_000 } });
    expect(facts.get(SPEC)).toEqual({
      path: SPEC,
      problem: { kind: 'too-complex', limit: 'parseMs', actual: 500, max: 500 },
    });
    expect(facts.get(INTENT)).toMatchObject({ title: 'Intent: s' });
    expect(facts.get(PLAN)).toMatchObject({ title: 'Plan: s' });
  });

  it('replaces the worker it stopped', async () => {
    const facts = await factsOf(pool, [intent], {});
    expect(facts.get(INTENT)).toMatchObject({ title: 'Intent: s' });
  });

  it("keeps the bytes of a run's facts in one slab, not in the buffers the worker sent", async () => {
    const config = ConfigSchema.parse({});
    const docs = docInputs([intent, plan], config);
    const encoded = new Map<string, Uint8Array>();
    const cache = {
      get: () => undefined,
      set: () => {},
      setEncoded: (k: string, b: Uint8Array) => encoded.set(k, b),
    };
    const resolve = await pool.prefetch(docs, config, cache);
    for (const doc of docs) resolve(doc); // decoding must leave the bytes the cache keeps whole
    const [first, second] = docs.map((d) => encoded.get(d.key)!);
    expect(first!.buffer).toBe(second!.buffer);
    expect(first!.buffer.byteLength).toBe(SLAB_BYTES);
    for (const doc of docs)
      expect(deserialize(encoded.get(doc.key)!)).toEqual(computeFacts(doc, factsSettingsOf(config)));
  });

  it('gives a prefetch the facts of docs begun before it, parsing them once', async () => {
    const config = ConfigSchema.parse({});
    const settings = factsSettingsOf(config);
    const [begun] = docInputs([intent], config);
    pool.begin([begun!], settings);
    pool.begin([begun!], settings);
    // The same key with other bytes: a prefetch that parsed again would find the plan's title.
    const asked = { ...begun!, bytes: plan.content! };
    expect((await pool.prefetch([asked], config, undefined))(asked)).toMatchObject({ title: 'Intent: s' });
    // Taken once: the pool keeps nothing after, and the next prefetch parses what it is given.
    expect((await pool.prefetch([asked], config, undefined))(asked)).toMatchObject({ title: 'Plan: s' });
  });

  it('gives a prefetch the finding of a begun doc past the time budget', async () => {
    const config = ConfigSchema.parse({ limits: { parseMs: 500, maxLines: 50_000 } });
    const docs = docInputs([slow, intent], config);
    pool.begin(docs, factsSettingsOf(config));
    const resolve = await pool.prefetch(docs, config, undefined);
    expect(resolve(docs[0]!)).toMatchObject({ problem: { kind: 'too-complex', limit: 'parseMs' } });
    expect(resolve(docs[1]!)).toMatchObject({ title: 'Intent: s' });
  });

  it('reports a doc past a limit without parsing it', async () => {
    const facts = await factsOf(pool, [file(SPEC, `${'>'.repeat(10_000)} a\n`)], {});
    expect(facts.get(SPEC)).toEqual({
      path: SPEC,
      problem: { kind: 'too-complex', limit: 'maxNesting', actual: 10_000, max: 32 },
    });
  });
});

describe('FactsPool with a small heap', () => {
  const pool = new FactsPool({ size: 1, heapMb: 48 });
  afterAll(() => pool.close());

  it('reports a doc whose parse needs more memory than a worker has, and parses the rest', async () => {
    const header = `| ${'h | '.repeat(150)}\n|${' - |'.repeat(150)}\n`;
    const table = file(SPEC, header + `| ${'x | '.repeat(150)}\n`.repeat(150));
    const facts = await factsOf(pool, [table, intent], {
      limits: { maxTableCells: 100_000, parseMs: 10_000 },
    });
    expect(facts.get(SPEC)).toEqual({
      path: SPEC,
      problem: { kind: 'too-complex', limit: 'memory', actual: 48, max: 48 },
    });
    expect(facts.get(INTENT)).toMatchObject({ title: 'Intent: s' });
  });
});

describe('prefetchFacts (a command: small docs parsed here, the rest by a worker)', () => {
  it('holds a large doc to the time budget as a server does', async () => {
    const config = ConfigSchema.parse({ limits: { parseMs: 500, maxLines: 50_000 } });
    const docs = docInputs([intent, slow], config);
    const resolve = await prefetchFacts(docs, config, undefined);
    expect(resolve(docs.find((d) => d.path === SPEC)!)).toMatchObject({
      problem: { kind: 'too-complex', limit: 'parseMs' },
    });
    expect(resolve(docs.find((d) => d.path === INTENT)!)).toMatchObject({ title: 'Intent: s' });
  });
});
