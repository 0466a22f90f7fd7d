/**
 * Facts of docs by content (supabase/schemas/90_facts.sql): what the App's validations and the sync
 * gateway parsed, shared by replicas and kept across restarts. Each method is one SQL function call,
 * however many keys it carries.
 */
import { z } from 'zod';
import type { DocFacts } from '../pipeline/facts.ts';
import { parseInput, type StoreCall } from './call.ts';

/** A facts key (factsKey in src/model/build.ts): a settings digest (base64url), then a git blob id. */
export const FactsKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,88}$/, 'expected a facts key (base64url hash)');

/**
 * Facts as the store keeps them. Only the service role writes them, from extraction, under a key that
 * names the extraction version; so this checks their shape, not every field.
 */
const DocFactsSchema = z.custom<DocFacts>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { lineCount?: unknown }).lineCount === 'number' &&
    Array.isArray((value as { headings?: unknown }).headings),
  'expected doc facts',
);

const FetchInputSchema = z.array(FactsKeySchema);
const SaveInputSchema = z.array(z.object({ key: FactsKeySchema, facts: DocFactsSchema }));
const FetchedSchema = z.record(FactsKeySchema, DocFactsSchema);

export interface FactsStore {
  /** The facts the store has among `keys`, by key (stamping them as used); keys it lacks are absent. */
  fetchFacts(keys: readonly string[]): Promise<Map<string, DocFacts>>;
  /** Stores facts of keys it lacks (a stored key keeps its facts); answers how many were added. */
  saveFacts(entries: ReadonlyMap<string, DocFacts>): Promise<number>;
}

export function factsMethods(call: StoreCall): FactsStore {
  return {
    async fetchFacts(keys) {
      const input = parseInput(FetchInputSchema, keys, 'fetch facts');
      if (input.length === 0) return new Map();
      const found = await call('fetch facts', 'fetch_doc_facts', { keys: input }, FetchedSchema);
      return new Map(Object.entries(found));
    },
    async saveFacts(entries) {
      const rows = [...entries].map(([key, facts]) => ({ key, facts }));
      const input = parseInput(SaveInputSchema, rows, 'save facts');
      if (input.length === 0) return 0;
      return call('save facts', 'save_doc_facts', { entries: input }, z.number().int().nonnegative());
    },
  };
}
