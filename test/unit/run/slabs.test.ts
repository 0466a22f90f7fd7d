import { describe, expect, it } from 'vitest';
import { SLAB_BYTES, Slabs } from '../../../src/run/slabs.ts';

describe('Slabs', () => {
  const made: number[] = [];
  const slabs = new Slabs((bytes) => {
    made.push(bytes);
    return new ArrayBuffer(bytes);
  });

  it('hands out consecutive views of one slab, and starts another when it is full', () => {
    const a = slabs.copy(new Uint8Array([1, 2, 3]));
    const b = slabs.take(5);
    expect([...a]).toEqual([1, 2, 3]);
    expect(b.buffer === a.buffer).toBe(true);
    expect(b.byteOffset).toBe(3);
    expect(made).toEqual([SLAB_BYTES]);
    const fill = slabs.take(SLAB_BYTES / 4);
    slabs.take(SLAB_BYTES / 4);
    slabs.take(SLAB_BYTES / 4);
    const next = slabs.take(SLAB_BYTES / 4);
    // Compared as booleans: a failure must not print 8 MB of bytes.
    expect(fill.buffer === a.buffer).toBe(true);
    expect(next.buffer === a.buffer).toBe(false);
    expect(made).toEqual([SLAB_BYTES, SLAB_BYTES]);
  });

  it('gives a request past a quarter of a slab a buffer of its own', () => {
    const big = slabs.take(SLAB_BYTES / 4 + 1);
    expect(big.buffer.byteLength).toBe(SLAB_BYTES / 4 + 1);
    expect(made.at(-1)).toBe(SLAB_BYTES / 4 + 1);
  });

  it('frees a buffer when the last view taken from it is released, and fills a new one after', () => {
    const own = new Slabs((bytes) => new ArrayBuffer(bytes));
    const a = own.copy(new Uint8Array([1]));
    const b = own.copy(new Uint8Array([2]));
    own.release(a);
    expect((b.buffer as ArrayBuffer).detached).toBe(false);
    expect([...b]).toEqual([2]);
    own.release(b);
    expect((b.buffer as ArrayBuffer).detached).toBe(true);
    const c = own.copy(new Uint8Array([3]));
    expect(c.buffer === b.buffer).toBe(false);
    expect([...c]).toEqual([3]);
    const big = own.take(SLAB_BYTES / 4 + 1);
    own.release(big);
    expect((big.buffer as ArrayBuffer).detached).toBe(true);
  });
});
