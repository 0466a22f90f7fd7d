import { createHash } from 'node:crypto';

/**
 * The object id git gives a blob with this content (`git hash-object`): the id GitHub's trees, the
 * sync protocol and the store key files by. In the model, below every face that computes one, so
 * none loads isomorphic-git (or anything else) for it.
 */
export function gitBlobId(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.byteLength}\0`).update(content).digest('hex');
}
