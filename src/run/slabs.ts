/**
 * Large enough that malloc always maps a slab of its own (glibc's mmap threshold, which rises with the
 * sizes freed, stops at 32 MiB): freed, a slab goes back to the system, where thousands of small
 * buffers freed leave their chunks in malloc's arenas. Only the pages written count towards the
 * process's memory, so the unused end of a slab costs nothing.
 */
export const SLAB_BYTES = 32 * 1024 * 1024;

/**
 * Many small byte buffers kept as views of a few large ones. A slab lives as long as any view of it;
 * whoever makes the views should make them with the same lifetime (one run's), hence a Slabs per run.
 */
export class Slabs {
  private readonly make: (bytes: number) => ArrayBufferLike;
  private slab: Uint8Array | undefined;
  private at = 0;

  /** `make` allocates a slab: an ArrayBuffer, or a SharedArrayBuffer for views that cross threads. */
  constructor(make: (bytes: number) => ArrayBufferLike) {
    this.make = make;
  }

  /** `size` zeroed bytes; past a quarter of a slab they get a buffer of their own. */
  take(size: number): Uint8Array {
    if (size > SLAB_BYTES / 4) return new Uint8Array(this.make(size));
    if (!this.slab || this.at + size > SLAB_BYTES) {
      this.slab = new Uint8Array(this.make(SLAB_BYTES));
      this.at = 0;
    }
    const bytes = this.slab.subarray(this.at, this.at + size);
    this.at += size;
    return bytes;
  }

  copy(bytes: Uint8Array): Uint8Array {
    const kept = this.take(bytes.byteLength);
    kept.set(bytes);
    return kept;
  }
}
