import { describe, expect, it } from 'vitest';
import type { DocFacts } from '../../../src/pipeline/facts.ts';
import { type FactsTier, MemoryFactsCache, TieredFactsCache } from '../../../src/run/memory-facts-cache.ts';
import { StoreError } from '../../../src/store/errors.ts';

const facts = (lineCount: number) => ({ lineCount, headings: [] }) as unknown as DocFacts;

/** A tier that records its calls and answers from `stored`, or fails with `failure`. */
function tierOf(
  stored: Record<string, DocFacts>,
  failure?: { fetch?: Error; save?: Error },
  texts: Record<string, string> = {},
) {
  const calls: Array<[string, string[]]> = [];
  const tier: FactsTier = {
    async fetchFacts(keys) {
      calls.push(['fetch', [...keys]]);
      if (failure?.fetch) throw failure.fetch;
      return new Map(keys.flatMap((k) => (stored[k] ? [[k, stored[k]] as const] : [])));
    },
    async saveFacts(entries) {
      calls.push(['save', [...entries.keys()]]);
      if (failure?.save) throw failure.save;
      for (const [k, f] of entries) stored[k] = f;
      return entries.size;
    },
    async fetchBlobTexts(shas) {
      calls.push(['fetch texts', [...shas]]);
      if (failure?.fetch) throw failure.fetch;
      return new Map(shas.flatMap((s) => (texts[s] !== undefined ? [[s, texts[s]] as const] : [])));
    },
    async saveBlobTexts(entries) {
      calls.push(['save texts', [...entries.keys()]]);
      if (failure?.save) throw failure.save;
      for (const [sha, text] of entries) texts[sha] = text;
      return entries.size;
    },
  };
  return { tier, calls, stored, texts };
}

const warnings = (cache: TieredFactsCache) => {
  const lines: string[] = [];
  cache.log = { warn: (message) => lines.push(message) };
  return lines;
};

describe('TieredFactsCache', () => {
  it('asks the tier once for what memory lacks, and saves only what neither had, in one call', async () => {
    const { tier, calls, stored } = tierOf({ b: facts(2) });
    const cache = new TieredFactsCache(tier);
    cache.set('a', facts(1));
    const loaded = await cache.load(['a', 'b', 'c', 'd', 'c']);
    expect(loaded).toEqual({
      sources: { memory: 1, store: 1, parsed: 2 },
      found: new Map([
        ['a', facts(1)],
        ['b', facts(2)],
      ]),
      fresh: ['c', 'd'],
    });
    expect(calls).toEqual([['fetch', ['b', 'c', 'd']]]);
    expect(cache.get('b')).toEqual(facts(2));

    // The run parsed c; d had a problem instead of facts, so there is nothing to keep of it.
    cache.set('c', facts(3));
    cache.save(loaded);
    await cache.settled();
    expect(calls.at(-1)).toEqual(['save', ['c']]);
    expect(stored.c).toEqual(facts(3));

    // Everything is in memory now: no call at all.
    calls.length = 0;
    expect((await cache.load(['a', 'b', 'c'])).sources).toEqual({ memory: 3, store: 0, parsed: 0 });
    cache.save({ sources: { memory: 0, store: 0, parsed: 0 }, found: new Map(), fresh: [] });
    expect(calls).toEqual([]);
  });

  it('parses everything when the tier is down, and only warns when a write fails', async () => {
    const down = new StoreError('store-unavailable', 'fetch facts: connection refused');
    const { tier } = tierOf({ a: facts(1) }, { fetch: down, save: new Error('disk full') });
    const cache = new TieredFactsCache(tier);
    const lines = warnings(cache);
    const loaded = await cache.load(['a', 'b']);
    expect(loaded.sources).toEqual({ memory: 0, store: 0, parsed: 2 });
    cache.set('a', facts(1));
    cache.save(loaded);
    await cache.settled();
    expect(lines).toEqual([
      'idse: facts store unreachable, parsing 2 docs: fetch facts: connection refused [store-unavailable]',
      'idse: could not store the facts of 1 docs: disk full',
    ]);
    expect(cache.get('a')).toEqual(facts(1));
  });

  it('keeps what a run loaded for that run, whatever memory lets go meanwhile', async () => {
    const { tier } = tierOf({ a: facts(1), b: facts(2) });
    const cache = new TieredFactsCache(tier, new MemoryFactsCache(2));
    const loaded = await cache.load(['a', 'b']);
    const run = cache.pinned(loaded);
    // Another run fills memory: a and b are evicted from it.
    cache.set('x', facts(8));
    cache.set('y', facts(9));
    expect(cache.get('a')).toBeUndefined();
    expect([run.get('a'), run.get('b'), run.get('y')]).toEqual([facts(1), facts(2), facts(9)]);
    run.set('c', facts(3));
    expect(cache.get('c')).toEqual(facts(3));
  });

  it('loads texts by blob id in one call and saves them, an outage costing only a warning', async () => {
    const { tier, calls, texts } = tierOf({}, undefined, { a1: 's1\n' });
    const cache = new TieredFactsCache(tier);
    expect(await cache.loadTexts(['a1', 'b2', 'a1'])).toEqual(new Map([['a1', 's1\n']]));
    cache.saveTexts(new Map([['b2', 's2\n']]));
    cache.saveTexts(new Map());
    await cache.settled();
    expect(calls).toEqual([
      ['fetch texts', ['a1', 'b2']],
      ['save texts', ['b2']],
    ]);
    expect(texts).toEqual({ a1: 's1\n', b2: 's2\n' });

    const down = new StoreError('store-unavailable', 'fetch blob texts: connection refused');
    const failing = new TieredFactsCache(tierOf({}, { fetch: down, save: new Error('disk full') }).tier);
    const lines = warnings(failing);
    expect(await failing.loadTexts(['a1'])).toEqual(new Map());
    failing.saveTexts(new Map([['a1', 's1\n']]));
    await failing.settled();
    expect(lines).toEqual([
      'idse: file store unreachable, downloading 1 files: fetch blob texts: connection refused [store-unavailable]',
      'idse: could not store the texts of 1 files: disk full',
    ]);
    expect(await new TieredFactsCache().loadTexts(['a1'])).toEqual(new Map());
  });

  it('is a plain memory cache without a tier', async () => {
    const cache = new TieredFactsCache();
    cache.set('a', facts(1));
    const loaded = await cache.load(['a', 'b']);
    expect(loaded.sources).toEqual({ memory: 1, store: 0, parsed: 1 });
    cache.save(loaded);
    await cache.settled();
    expect(cache.get('a')).toEqual(facts(1));
  });
});
