/**
 * `## 2. Risks & Unknowns` → `risk unknown`: numbering, case, emphasis, punctuation, plurals and a
 * trailing remark in parentheses (`(measurable)`, spec-kit's `*(mandatory)*`) don't change which
 * template section a heading is. `non-functional` stays one word (`nonfunctional`), so a
 * non-functional heading never reads as a functional one.
 */
export const headingKey = (text: string): string =>
  text
    .toLowerCase()
    .replace(/^\s*(?:\d+(?:\.\d+)*\.?|[ivx]+\.|[a-z]\))\s+/, '')
    .replace(/\s*[*_]*\([^()]*\)[*_]*\s*$/, '')
    .replace(/\bnon[\s-]+(?=[a-z])/g, 'non')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map(singular)
    .join(' ');

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
  return { title: spec.title, contains: [...new Set(contains)], exact };
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
  return section.contains.some((name) => name !== '' && padded.includes(` ${name} `));
}
