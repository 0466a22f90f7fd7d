/**
 * `## 2. Risks & Unknowns` → `risk unknown`: numbering, case, emphasis, punctuation, plurals and a
 * trailing remark in parentheses (`(measurable)`, spec-kit's `*(mandatory)*`) don't change which
 * template section a heading is. `non-functional` stays one word (`nonfunctional`), so a
 * non-functional heading never reads as a functional one.
 */
export const headingKey = (text: string): string =>
  withoutRemark(text.toLowerCase().replace(/^\s*(?:\d+(?:\.\d+)*\.?|[ivx]+\.|[a-z]\))\s+/, ''))
    .replace(/\bnon[\s-]+(?=[a-z])/g, 'non')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map(singular)
    .join(' ');

/**
 * `text` without a trailing remark in parentheses and the spaces and emphasis marks around it: what
 * `/\s*[*_]*\([^()]*\)[*_]*\s*$/` removes, found from the end. That regex, tried from every start,
 * took quadratic time on a heading of 30,000 spaces (1.2 s).
 */
export function withoutRemark(text: string): string {
  let end = text.trimEnd().length;
  while (end > 0 && isMark(text[end - 1]!)) end--;
  if (text[end - 1] !== ')') return text;
  const open = text.lastIndexOf('(', end - 2);
  if (open === -1 || text.indexOf(')', open) !== end - 1) return text;
  let start = open;
  while (start > 0 && isMark(text[start - 1]!)) start--;
  return text.slice(0, start).trimEnd();
}

const isMark = (char: string): boolean => char === '*' || char === '_';

/** Enough of English plurals for section names: `stories` → `story`, `phases` → `phase`. */
function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * A template section and the headings that stand for it. `names` are phrases a heading may contain
 * (its own `/`-parts and the documented synonyms); a name starting with `=` must be the whole heading,
 * for words too general to match inside other headings (`## Requirements`).
 */
export interface SectionSpec {
  title: string;
  names: readonly string[];
  /** Only `names` stand for it: not the title, nor its parts (for a family whose words overlap another's). */
  literal?: boolean;
}

/** A matcher compiled once per section: normalised phrases to look for in heading keys. */
export interface SectionMatcher {
  title: string;
  /** Phrases a key may contain as whole words, each with a space either side (` risk `). */
  contains: readonly string[];
  exact: readonly string[];
}

export function compileSection(spec: SectionSpec): SectionMatcher {
  const contains: string[] = [];
  const exact: string[] = [];
  const names = spec.literal ? spec.names : [spec.title, ...titleParts(spec.title), ...spec.names];
  for (const name of names) {
    if (name.startsWith('=')) exact.push(headingKey(name.slice(1)));
    else contains.push(headingKey(name));
  }
  // Padded here, once: padding each name per heading checked made a string per name, doc and heading.
  const padded = [...new Set(contains)].filter((name) => name !== '').map((name) => ` ${name} `);
  return { title: spec.title, contains: padded, exact };
}

/** `Constraints / Assumptions / Risks` → its parts; a combined heading or any one part satisfies it. */
const titleParts = (title: string): string[] =>
  title
    .split(/\s*(?:\/|&|,|\band\b)\s*/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== title);

/** Whether a heading (its key) stands for the section: it contains one of its names as whole words. */
export function headingMatches(key: string, section: SectionMatcher): boolean {
  if (section.exact.includes(key)) return true;
  const padded = ` ${key} `;
  return section.contains.some((name) => padded.includes(name));
}
