import { createHash } from 'node:crypto';

/**
 * The object id git gives a blob with this content (`git hash-object`). In a module of its own so
 * the store can compute it without loading isomorphic-git.
 */
export function hashBlob(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.byteLength}\0`).update(content).digest('hex');
}
