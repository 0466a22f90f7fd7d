/**
 * Facts of docs by content (supabase/schemas/90_facts.sql): what the App's validations and the sync
 * gateway parsed, shared by replicas and kept across restarts; and the texts of the small files the
 * App reads whole, by blob id. Each method is one SQL function call, however many keys it carries.
 */
import { z } from 'zod';
import type { DocFacts } from '../pipeline/facts.ts';
import { parseInput, type StoreCall } from './call.ts';

/** A facts key (factsKey in src/model/facts-key.ts): a settings digest (base64url), then a git blob id. */
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

/** A git blob id: SHA-1, or SHA-256 in a repository that uses it. */
const BlobShaSchema = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'expected a git blob id');
/** What blob_texts holds: at most 64 KiB of text (a NUL is no text Postgres keeps). */
export const BLOB_TEXT_MAX_BYTES = 65_536;
const BlobTextSchema = z
  .string()
  .refine(
    (text) => !text.includes('\0') && Buffer.byteLength(text) <= BLOB_TEXT_MAX_BYTES,
    'expected a short text',
  );

const FetchInputSchema = z.array(FactsKeySchema);
const SaveInputSchema = z.array(z.object({ key: FactsKeySchema, facts: DocFactsSchema }));
const FetchedSchema = z.record(FactsKeySchema, DocFactsSchema);
const SaveTextsInputSchema = z.array(z.object({ sha: BlobShaSchema, text: BlobTextSchema }));
const FetchedTextsSchema = z.record(BlobShaSchema, z.string());

export interface FactsStore {
  /** The facts the store has among `keys`, by key (stamping them as used); keys it lacks are absent. */
  fetchFacts(keys: readonly string[]): Promise<Map<string, DocFacts>>;
  /** Stores facts of keys it lacks (a stored key keeps its facts); answers how many were added. */
  saveFacts(entries: ReadonlyMap<string, DocFacts>): Promise<number>;
  /** The texts the store has among these blob ids, by id (stamping them as used). */
  fetchBlobTexts(shas: readonly string[]): Promise<Map<string, string>>;
  /** Stores the texts of blob ids it lacks; answers how many were added. */
  saveBlobTexts(entries: ReadonlyMap<string, string>): Promise<number>;
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
    async fetchBlobTexts(shas) {
      const input = parseInput(z.array(BlobShaSchema), shas, 'fetch blob texts');
      if (input.length === 0) return new Map();
      const found = await call('fetch blob texts', 'fetch_blob_texts', { shas: input }, FetchedTextsSchema);
      return new Map(Object.entries(found));
    },
    async saveBlobTexts(entries) {
      const rows = [...entries].map(([sha, text]) => ({ sha, text }));
      const input = parseInput(SaveTextsInputSchema, rows, 'save blob texts');
      if (input.length === 0) return 0;
      return call('save blob texts', 'save_blob_texts', { entries: input }, z.number().int().nonnegative());
    },
  };
}
