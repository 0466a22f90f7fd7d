import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../../src/pipeline/extract.ts';
import { FileFactsCache, factsFileKeys } from '../../../src/run/facts-cache.ts';
import { tempDir } from '../../helpers/cli.ts';

const options = { ids: { requirements: ['FR', 'NFR', 'AC'], tests: ['TC'] } };
const factsOf = (text: string) => extractFacts(text, options);
const intent = factsOf('# Intent\n\n## Goal\n\nExport invoices (FR-1).\n');
const spec = factsOf('# Spec\n\n### FR-1: Export\n\n- [ ] Task 1.1 – write it (Owner: @a)\n');

/** A cache file holding the intent and the spec, as one run leaves it. */
function stored(): string {
  const file = join(tempDir(), 'facts.bin');
  const cache = new FileFactsCache(file);
  cache.set('intent', intent);
  cache.set('spec', spec);
  cache.save();
  return file;
}

describe('the facts cache file', () => {
  it('gives back what a run stored, and lists its keys without decoding facts', () => {
    const file = stored();
    const next = new FileFactsCache(file);
    expect(next.get('intent')).toEqual(intent);
    expect(next.get('spec')).toEqual(spec);
    expect(next.get('plan')).toBeUndefined();
    expect(factsFileKeys(file)).toEqual(new Set(['intent', 'spec']));
  });

  it('writes a file of more than one chunk, with records larger than a chunk, and reads it back', () => {
    const file = join(tempDir(), 'facts.bin');
    const cache = new FileFactsCache(file);
    const many = Array.from({ length: 300 }, (_, i) => ({ ...spec, title: `${i} ${'x'.repeat(10_000)}` }));
    const huge = { ...intent, title: 'y'.repeat(3 * 1024 * 1024) };
    for (const [i, facts] of many.entries()) cache.set(`doc-${i}`, facts);
    cache.set('huge', huge);
    cache.set('last', spec);
    cache.save();
    expect(statSync(file).size).toBeGreaterThan(6 * 1024 * 1024);
    const next = new FileFactsCache(file);
    for (const [i, facts] of many.entries()) expect(next.get(`doc-${i}`)).toEqual(facts);
    expect(next.get('huge')?.title).toBe(huge.title);
    expect(next.get('last')).toEqual(spec);
  });

  it('keeps the records a run used and drops the rest', () => {
    const file = stored();
    const next = new FileFactsCache(file);
    next.get('spec');
    const plan = factsOf('# Plan\n\n## Phases\n\nOne phase.\n');
    next.set('plan', plan);
    next.save();
    expect(factsFileKeys(file)).toEqual(new Set(['spec', 'plan']));
    const third = new FileFactsCache(file);
    expect(third.get('plan')).toEqual(plan);
    expect(third.get('intent')).toBeUndefined();
  });

  it('does not rewrite a file when the run used every record and parsed nothing', () => {
    const file = stored();
    const next = new FileFactsCache(file);
    next.get('intent');
    next.get('spec');
    const before = statSync(file).ino;
    next.save();
    // A save writes a new file and renames it over the old one: the same inode means no write.
    expect(statSync(file).ino).toBe(before);
  });

  it('trusts nothing in a file cut short, of another format or with a record that does not decode', () => {
    const file = stored();
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, whole.length - 3));
    expect(new FileFactsCache(file).get('intent')).toBeUndefined();
    expect(factsFileKeys(file)).toEqual(new Set());

    writeFileSync(file, Buffer.from('not a facts file'));
    expect(new FileFactsCache(file).get('intent')).toBeUndefined();

    // The last record's facts overwritten with bytes v8 cannot read: that doc is a miss, the other a hit.
    const broken = Buffer.from(whole);
    broken.fill(0xff, broken.length - 40);
    writeFileSync(file, broken);
    const cache = new FileFactsCache(file);
    expect(cache.get('intent')).toEqual(intent);
    expect(cache.get('spec')).toBeUndefined();
  });

  it('starts empty when there is no file', () => {
    expect(new FileFactsCache(join(tempDir(), 'missing.bin')).get('intent')).toBeUndefined();
  });
});
