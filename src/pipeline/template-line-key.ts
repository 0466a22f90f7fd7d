/**
 * A template line's fingerprint: its letters and digits, lower-cased, after list, quote and checkbox
 * markup, hashed (32-bit FNV-1a). Wrapping, emphasis and punctuation don't change it; blank and
 * markup-only lines have none.
 */
export function templateLineHash(line: string): number | undefined {
  const letters = line
    .replace(/^[\s>]*(?:[-*+]|\d+[.)])?\s*(?:\[[ xX]\]\s*)?/, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
  if (letters === '') return undefined;
  let hash = 0x811c9dc5;
  for (let i = 0; i < letters.length; i++) {
    hash ^= letters.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
