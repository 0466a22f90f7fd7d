/** List, quote and checkbox markup a line may open with. */
const LEAD = /^[\s>]*(?:[-*+]|\d+[.)])?\s*(?:\[[ xX]\]\s*)?/;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * A template line's fingerprint: its letters and digits, lower-cased, after list, quote and checkbox
 * markup, hashed (32-bit FNV-1a). Wrapping, emphasis and punctuation don't change it; blank and
 * markup-only lines have none. One pass, no intermediate strings: it runs on every line of a doc.
 */
export function templateLineHash(line: string): number | undefined {
  let hash = 0x811c9dc5;
  let seen = false;
  for (let i = LEAD.exec(line)?.[0].length ?? 0; i < line.length; i++) {
    let code = line.charCodeAt(i);
    if (code >= 65 && code <= 90) code += 32;
    else if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57))) {
      if (code < 128) continue;
      const char = line[i]!.toLowerCase();
      if (!LETTER_OR_DIGIT.test(char)) continue;
      code = char.charCodeAt(0);
    }
    seen = true;
    hash ^= code;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return seen ? hash : undefined;
}
