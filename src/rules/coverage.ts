import type { Finding } from '../diagnostics.ts';
import type { Definition, Trace } from '../model/trace.ts';
import { toRange } from '../pipeline/facts.ts';

export interface CoverageWording {
  /** One requirement nobody cites. */
  uncited: (id: string) => string;
  /** A whole family nobody cites: the docs don't work that way, so coverage cannot be judged. */
  unchecked: (family: string, count: number) => string;
}

/**
 * Findings for the spec's requirements of `families` that `cited` lacks. Under `recommended`, a family
 * of which not one requirement is cited is a convention of the session (upstream tasks often cite no
 * IDs), said once as info at its first requirement, instead of a finding per requirement.
 */
export function* uncoveredRequirements(
  trace: Trace,
  families: ReadonlySet<string>,
  cited: ReadonlySet<string>,
  recommended: boolean,
  wording: CoverageWording,
): Generator<Omit<Finding, 'project' | 'session'>> {
  const byFamily = new Map<string, [string, Definition][]>();
  for (const [key, [def]] of trace.requirements) {
    if (!def || !families.has(def.fact.family)) continue;
    const list = byFamily.get(def.fact.family) ?? [];
    list.push([key, def]);
    byFamily.set(def.fact.family, list);
  }
  for (const [family, defs] of byFamily) {
    if (recommended && !defs.some(([key]) => cited.has(key))) {
      const first = defs[0]![1];
      yield {
        file: first.doc.path,
        range: toRange(first.fact.span),
        severity: 'info',
        message: wording.unchecked(family, defs.length),
      };
      continue;
    }
    for (const [key, def] of defs) {
      if (cited.has(key)) continue;
      yield { file: def.doc.path, range: toRange(def.fact.span), message: wording.uncited(def.fact.id) };
    }
  }
}
