import type { FileProblem } from './model.ts';
import type { SourceFile } from './source.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes → text, or the reason it isn't text. NUL bytes in the first 8 KB mean binary, as git decides. */
export function decodeSource(file: SourceFile, maxBytes: number): { text: string } | FileProblem {
  if (file.problem) return { path: file.path, problem: file.problem };
  const bytes = file.content ?? new Uint8Array();
  if (bytes.byteLength > maxBytes)
    return { path: file.path, problem: { kind: 'too-large', limit: maxBytes } };
  if (bytes.subarray(0, 8000).includes(0)) return { path: file.path, problem: { kind: 'binary' } };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { path: file.path, problem: { kind: 'invalid-utf8', range: firstInvalidByte(bytes) } };
  }
}

/** Line and column of the first byte that is not valid UTF-8, so the user can find it. */
function firstInvalidByte(
  bytes: Uint8Array,
): NonNullable<Extract<FileProblem['problem'], { kind: 'invalid-utf8' }>['range']> {
  let line = 1;
  let column = 1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const width = b < 0x80 ? 1 : b >> 5 === 0b110 ? 2 : b >> 4 === 0b1110 ? 3 : b >> 3 === 0b11110 ? 4 : 0;
    const valid =
      width > 0 &&
      i + width <= bytes.length &&
      bytes.subarray(i + 1, i + width).every((c) => c >> 6 === 0b10) &&
      (width === 1 || utf8Ok(bytes.subarray(i, i + width)));
    if (!valid) break;
    if (b === 0x0a) {
      line++;
      column = 1;
    } else column++;
    i += width;
  }
  return { start: { line, column }, end: { line, column: column + 1 } };
}

function utf8Ok(seq: Uint8Array): boolean {
  try {
    utf8.decode(seq);
    return true;
  } catch {
    return false;
  }
}
