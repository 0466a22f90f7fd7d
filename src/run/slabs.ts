/**
 * Large enough that malloc always maps a slab of its own (glibc's mmap threshold, which rises with the
 * sizes freed, stops at 32 MiB): freed, a slab goes back to the system, where thousands of small
 * buffers freed leave their chunks in malloc's arenas. Only the pages written count towards the
 * process's memory, so the unused end of a slab costs nothing.
 */
export const SLAB_BYTES = 32 * 1024 * 1024;

/**
 * Many small byte buffers kept as views of a few large ones. A slab lives as long as any view of it,
 * or until every view taken from it is released: whoever makes the views should make them with the
 * same lifetime (one run's), hence a Slabs per run.
 */
export class Slabs {
  private readonly make: (bytes: number) => ArrayBufferLike;
  private slab: Uint8Array | undefined;
  private at = 0;
  /** Views taken and not released, by the buffer they are views of. */
  private readonly views = new Map<ArrayBufferLike, number>();

  /** `make` allocates a slab: an ArrayBuffer, or a SharedArrayBuffer for views that cross threads. */
  constructor(make: (bytes: number) => ArrayBufferLike) {
    this.make = make;
  }

  /** `size` zeroed bytes; past a quarter of a slab they get a buffer of their own. */
  take(size: number): Uint8Array {
    const bytes = size > SLAB_BYTES / 4 ? new Uint8Array(this.make(size)) : this.fromSlab(size);
    this.views.set(bytes.buffer, (this.views.get(bytes.buffer) ?? 0) + 1);
    return bytes;
  }

  copy(bytes: Uint8Array): Uint8Array {
    const kept = this.take(bytes.byteLength);
    kept.set(bytes);
    return kept;
  }

  /**
   * `bytes`, taken from here, are no longer read. Once no view of its buffer is left, an ArrayBuffer
   * is detached, which frees its memory at once (a garbage collection could come much later: a slab's
   * few objects are long promoted, and only a full collection frees them). Every other view of that
   * buffer is then empty, so only the last reader of each view may release it.
   */
  release(bytes: Uint8Array): void {
    const { buffer } = bytes;
    const left = (this.views.get(buffer) ?? 1) - 1;
    if (left > 0) {
      this.views.set(buffer, left);
      return;
    }
    this.views.delete(buffer);
    if (this.slab?.buffer === buffer) this.slab = undefined;
    if (buffer instanceof ArrayBuffer) buffer.transfer(0);
  }

  private fromSlab(size: number): Uint8Array {
    if (!this.slab || this.at + size > SLAB_BYTES) {
      this.slab = new Uint8Array(this.make(SLAB_BYTES));
      this.at = 0;
    }
    const bytes = this.slab.subarray(this.at, this.at + size);
    this.at += size;
    return bytes;
  }
}
