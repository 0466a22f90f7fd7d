import type { SessionRecord } from './record.ts';

export interface Lineage {
  parent?: string;
  /** Parent, grandparent, … up to a root (or to where a cycle or a missing session stops the walk). */
  ancestors: string[];
  children: string[];
  related: string[];
}

/** Where a session sits in its project's lineage, from the `parent_session` of every session. */
export function lineageOf(records: ReadonlyMap<string, SessionRecord>, id: string): Lineage {
  const record = records.get(id);
  const ancestors: string[] = [];
  for (let at = record?.parent; at !== undefined && !ancestors.includes(at) && at !== id; ) {
    ancestors.push(at);
    at = records.get(at)?.parent;
  }
  return {
    ...(record?.parent ? { parent: record.parent } : {}),
    ancestors,
    children: [...records.values()].filter((r) => r.parent === id).map((r) => r.id),
    related: record?.related ?? [],
  };
}

/**
 * Every cycle of `parent_session` links, once each, listed from its smallest id in parent order
 * (`a → b → a` reads `['a', 'b']`).
 */
export function lineageCycles(records: ReadonlyMap<string, SessionRecord>): string[][] {
  const cycles = new Map<string, string[]>();
  for (const start of records.keys()) {
    const path: string[] = [];
    for (
      let at: string | undefined = start;
      at !== undefined && records.has(at);
      at = records.get(at)?.parent
    ) {
      const seen = path.indexOf(at);
      if (seen !== -1) {
        const loop = path.slice(seen);
        const first = loop.indexOf([...loop].sort()[0]!);
        const ordered = [...loop.slice(first), ...loop.slice(0, first)];
        cycles.set(ordered.join('\0'), ordered);
        break;
      }
      path.push(at);
    }
  }
  return [...cycles.values()];
}
