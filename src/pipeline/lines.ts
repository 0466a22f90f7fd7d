import type { Position, Range } from '../diagnostics.ts';
import type { Span } from './facts.ts';

/** Maps string offsets to 1-based line/column; built once per doc. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset where a 1-based line starts; undefined past the end. */
  offsetOfLine(line: number): number | undefined {
    return this.starts[line - 1];
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  span(startOffset: number, endOffset: number): Span {
    const start = this.position(startOffset);
    const end = this.position(endOffset);
    return [start.line, start.column, end.line, end.column];
  }

  range(startOffset: number, endOffset: number): Range {
    return { start: this.position(startOffset), end: this.position(endOffset) };
  }
}
