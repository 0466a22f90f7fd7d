import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { gitBlobId } from '../../../src/model/blob-id.ts';

/** What git itself says, without filters (no line-ending or attribute conversion). */
const hashObject = (content: Uint8Array): string =>
  execFileSync('git', ['hash-object', '--no-filters', '--stdin'], {
    input: content,
    encoding: 'utf8',
  }).trim();

describe('gitBlobId', () => {
  it('matches git hash-object for empty, text, unicode, CRLF and binary content', () => {
    const contents = [
      new Uint8Array(),
      new TextEncoder().encode('hello\n'),
      new TextEncoder().encode('héllo wörld 🌍\r\n'),
      Uint8Array.from({ length: 256 }, (_, i) => i),
      new TextEncoder().encode('# Intent\n'.repeat(10_000)),
    ];
    expect(contents.map(gitBlobId)).toEqual(contents.map(hashObject));
    expect(gitBlobId(new Uint8Array())).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });
});
