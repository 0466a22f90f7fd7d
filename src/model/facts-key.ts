import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import type { ExtractOptions } from '../pipeline/extract.ts';
import type { DocFacts } from '../pipeline/facts.ts';
import type { LimitBreach, ParseLimits } from '../pipeline/limits.ts';
import { gitBlobId } from './blob-id.ts';
import type { FileProblem } from './model.ts';
import type { SourceFile } from './source.ts';

// What a doc's facts are keyed by and what stands in for them, apart from computing them (build.ts):
// a run names docs and hands them to workers without loading the parser on its own thread.

/** Facts by factsKey; the CLI keeps one on disk so unchanged docs are not parsed again. */
export interface FactsCache {
  get(key: string): DocFacts | undefined;
  set(key: string, facts: DocFacts): void;
  /**
   * Facts as a worker sent them (v8-serialised): a cache that stores bytes keeps these as they are,
   * and the engine decodes them when it reads the doc. Without it, `set` gets them decoded.
   */
  setEncoded?(key: string, bytes: Uint8Array): void;
  /**
   * The run has this doc but took its findings from elsewhere (a project memo): a cache that keeps
   * only what a run used keeps these facts too, unread.
   */
  retain?(key: string): void;
}

/** Bump when extraction changes what it produces, so old cache entries are not trusted. */
export const FACTS_VERSION = 12;

export const extractOptionsOf = (config: Config): ExtractOptions => ({
  ids: { requirements: config.ids.requirements, tests: config.ids.tests },
});

/** What turning a doc's bytes into facts depends on besides the bytes. */
export interface FactsSettings {
  options: ExtractOptions;
  maxBytes: number;
  limits: ParseLimits;
}

export const factsSettingsOf = (config: Config): FactsSettings => ({
  options: extractOptionsOf(config),
  maxBytes: config.maxFileBytes,
  limits: config.limits,
});

/** A doc to extract facts from: its bytes and the cache key of its facts. */
export interface DocInput {
  path: string;
  key: string;
  bytes: Uint8Array;
}

/** A doc the workspace asks facts for: without bytes when its source gave only its blob id. */
export type DocRef = Omit<DocInput, 'bytes'> & { bytes?: Uint8Array | undefined };

/** Facts of a doc, or why it has none (binary, not UTF-8, too large). */
export type FactsResolver = (doc: DocRef) => DocFacts | FileProblem;

/**
 * Key of a doc's facts: a digest of everything extraction depends on besides the bytes (the limits
 * too: facts cached under looser ones must not let a doc past the current ones through), then the
 * doc's git blob id. The blob id names the bytes as git does, so a face that has a doc's id from a
 * tree (the App, from GitHub's) finds its facts without downloading it, and a cache hit skips
 * decoding too.
 */
export function factsKey(blobId: string, settings: FactsSettings): string {
  return settingsDigest(settings) + blobId;
}

/**
 * Computed once per settings, not per doc: a hash object costs microseconds, which thousands of docs
 * in a warm CLI run would notice. The blob id is the only hashing a key takes.
 */
const DIGESTS = new WeakMap<FactsSettings, string>();

function settingsDigest(settings: FactsSettings): string {
  let digest = DIGESTS.get(settings);
  if (digest === undefined) {
    const { ids } = settings.options;
    const limits = Object.values(settings.limits).join(',');
    const prefix = `${FACTS_VERSION}\0${ids.requirements.join(',')}\0${ids.tests.join(',')}\0${limits}\0`;
    digest = createHash('sha1').update(prefix).digest('base64url');
    DIGESTS.set(settings, digest);
  }
  return digest;
}

/** The facts key of a source file: by the blob id its source gave, else by hashing its bytes. */
export function factsKeyOf(file: SourceFile, settings: FactsSettings): string {
  return factsKey(file.oid ?? blobIdOf(file.content ?? EMPTY), settings);
}

const EMPTY = new Uint8Array();

/**
 * A run asks for each doc's key twice (docInputs, then buildWorkspace): its bytes are hashed once.
 * Ids already computed, by the very bytes they name: gone with the source file that holds them.
 */
const BLOB_IDS = new WeakMap<Uint8Array, string>();

function blobIdOf(bytes: Uint8Array): string {
  let id = BLOB_IDS.get(bytes);
  if (id === undefined) {
    id = gitBlobId(bytes);
    BLOB_IDS.set(bytes, id);
  }
  return id;
}

export const tooComplex = (doc: Pick<DocInput, 'path'>, breach: LimitBreach): FileProblem => ({
  path: doc.path,
  problem: { kind: 'too-complex', ...breach },
});

export const isProblem = (value: DocFacts | FileProblem): value is FileProblem => 'problem' in value;
