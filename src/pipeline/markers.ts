import { findMarkers as findMarkerText } from './text-scan.ts';

const QUOTES = `"'“”‘’«»`;
/** A marker followed by one of these nouns is being talked about: "No [NEEDS CLARIFICATION] markers remain". */
const NOUN_AFTER = /^[*_"'“”‘’]*\s+(?:markers?|placeholders?|tags?|tokens?|flags?|notes?|annotations?)\b/i;
/** …or preceded by one of these words: 'placeholders marked [REQUIRES INPUT]', "no [REQUIRES INPUT] left". */
const WORD_BEFORE = /\b(?:marked|no|any|remaining|unresolved|without|zero)\s+[*_"'“”‘’]*$/i;

/**
 * Offsets of the markers in `text[start, end)` that stand for unresolved input. A marker the prose
 * only mentions (quoted, or named as a marker) asks nobody for anything and is left out; code spans
 * and fences never reach this function.
 */
export function findMarkers(text: string, start: number, end: number): [number, number][] {
  const found: [number, number][] = [];
  for (const m of findMarkerText(text.slice(start, end))) {
    const from = start + m.start;
    const to = start + m.end;
    if (!isMention(text, from, to)) found.push([from, to]);
  }
  return found;
}

function isMention(text: string, from: number, to: number): boolean {
  const before = text.slice(Math.max(0, from - 24), from);
  const after = text.slice(to, to + 24);
  const quoted = QUOTES.includes(before.at(-1) ?? '') && QUOTES.includes(after[0] ?? '');
  return quoted || NOUN_AFTER.test(after) || WORD_BEFORE.test(before);
}
