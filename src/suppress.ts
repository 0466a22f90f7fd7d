import type { Diagnostic } from './diagnostics.ts';
import type { SuppressionFact } from './pipeline/facts.ts';

/**
 * Inline suppression, as markdown comments: `<!-- idse-disable-next-line IDSE010 -->`, and
 * `<!-- idse-disable IDSE009 -->` … `<!-- idse-enable -->`. Rules are named by code or name; none
 * named means all.
 */
export function isSuppressed(diagnostic: Diagnostic, suppressions: readonly SuppressionFact[]): boolean {
  const line = diagnostic.range?.start.line;
  if (line === undefined || suppressions.length === 0) return false;
  const names = (s: SuppressionFact) =>
    s.rules.length === 0 || s.rules.includes(diagnostic.code) || s.rules.includes(diagnostic.rule);
  let disabled = false;
  for (const s of suppressions) {
    if (s.kind === 'disable-next-line') {
      if (s.line === line && names(s)) return true;
      continue;
    }
    if (s.line > line) break;
    if (s.kind === 'disable' && names(s)) disabled = true;
    // A bare enable ends every disable; a named one ends only the rules it names.
    if (s.kind === 'enable' && (s.rules.length === 0 || names(s))) disabled = false;
  }
  return disabled;
}
