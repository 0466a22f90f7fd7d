import { statementKey } from './claims.ts';

/** Upstream's wording for feedback that rejects a claim: explicit markers and a few sentences. */
const MARKERS = [
  /\[contradiction\]/i,
  /contradicted_by_feedback/i,
  /unresolved contradiction/i,
  /promotion denied/i,
  /\bthis\s+contradicts\b/i,
  /\bclaim\s+contradicts\b/i,
  /\b(?:was|is)\s+rejected\b/i,
  /\breject(?:ed|s)\s+this\s+claim\b/i,
];

const significant = (text: string): string[] =>
  statementKey(text)
    .split(' ')
    .filter((w) => w.length >= 4);

/**
 * Whether a line of feedback contradicts a claim: it carries a contradiction marker and names the
 * claim, by number (`claim #2`) or by most of its words. A marker about something else does not
 * count, which is where upstream's whole-document check blocked unrelated promotions.
 */
export function contradicts(line: string, claim: { text: string; id?: number }): boolean {
  if (!MARKERS.some((m) => m.test(line))) return false;
  if (claim.id !== undefined && new RegExp(`\\bclaim\\s*#?${claim.id}\\b`, 'i').test(line)) return true;
  if (statementKey(line).includes(statementKey(claim.text))) return true;
  const words = significant(claim.text);
  const said = new Set(significant(line));
  return words.length > 0 && words.filter((w) => said.has(w)).length / words.length >= 0.8;
}

/** The lines (1-based) of a text that contradict a claim. */
export const contradictingLines = (text: string, claim: { text: string; id?: number }): number[] =>
  text.split('\n').flatMap((line, i) => (contradicts(line, claim) ? [i + 1] : []));
