/**
 * Facts are keyed by a doc's git blob id, so a face that has the id from a tree can hand the engine
 * the doc without its bytes, as long as it put the facts in the cache first; a doc without bytes and
 * without cached facts, or one whose text is read, is the face's bug and stops the run.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/schema.ts';
import { validate } from '../../../src/engine.ts';
import { gitBlobId } from '../../../src/model/blob-id.ts';
import { docInputs } from '../../../src/model/build.ts';
import { type FactsCache, factsKey, factsKeyOf, factsSettingsOf } from '../../../src/model/facts-key.ts';
import type { SourceFile } from '../../../src/model/source.ts';
import type { DocFacts } from '../../../src/pipeline/facts.ts';

const config = defaultConfig();
const settings = factsSettingsOf(config);
const INTENT = 'projects/p/sessions/s/intents/intent.md';
const BLUEPRINT = 'projects/p/sessions/__blueprint__/metadata/blueprint.md';
const text = '# Intent\n\n## Goal\n\nShip it.\n';
const bytes = new TextEncoder().encode(text);

const read = (path: string, content = bytes): SourceFile => ({ path, size: content.byteLength, content });
/** A doc as the App hands it over when the store has its facts: the tree's id and size, no bytes. */
const unread = (path: string, content = bytes): SourceFile => ({
  path,
  size: content.byteLength,
  oid: gitBlobId(content),
});

class MapCache implements FactsCache {
  readonly map = new Map<string, DocFacts>();
  get = (key: string) => this.map.get(key);
  set = (key: string, facts: DocFacts) => void this.map.set(key, facts);
}

describe('facts keys', () => {
  it('are the same from the bytes, from the blob id, and from both', () => {
    const key = factsKey(gitBlobId(bytes), settings);
    expect(factsKeyOf(read(INTENT), settings)).toBe(key);
    expect(factsKeyOf(unread(INTENT), settings)).toBe(key);
    expect(factsKeyOf({ ...read(INTENT), oid: gitBlobId(bytes) }, settings)).toBe(key);
    expect(factsKeyOf(read(INTENT, new TextEncoder().encode(`${text}.`)), settings)).not.toBe(key);
  });

  it('change with what extraction depends on', () => {
    const looser = { ...settings, limits: { ...settings.limits, maxLines: settings.limits.maxLines + 1 } };
    expect(factsKey(gitBlobId(bytes), looser)).not.toBe(factsKey(gitBlobId(bytes), settings));
  });
});

describe('a doc without its bytes', () => {
  it('takes its facts from the cache, as if it had been read', () => {
    const cache = new MapCache();
    const fromBytes = validate({ files: [read(INTENT)], config, cache });
    expect(cache.map.size).toBe(1);
    const fromId = validate({ files: [unread(INTENT)], config, cache });
    expect(fromId.diagnostics).toEqual(fromBytes.diagnostics);
    expect(fromId.workspace.docs.get(INTENT)).toEqual(fromBytes.workspace.docs.get(INTENT));
    // Nothing to parse: it is not among the docs a run hands the parser.
    expect(docInputs([unread(INTENT)], config)).toEqual([]);
  });

  it('is an internal error when the cache lacks its facts, never an empty doc', () => {
    expect(() => validate({ files: [unread(INTENT)], config, cache: new MapCache() })).toThrow(
      `${INTENT} came without its bytes (only its blob id) and no facts are cached for it`,
    );
  });

  it('is an internal error when its text is read: a governance doc, a session file', () => {
    const cache = new MapCache();
    validate({ files: [read(BLUEPRINT)], config, cache });
    expect(() => validate({ files: [unread(BLUEPRINT)], config, cache })).toThrow(
      `${BLUEPRINT} came without its bytes (only its blob id) and its text is read`,
    );
    const session = 'projects/p/sessions/s/metadata/session.json';
    expect(() => validate({ files: [unread(session, new TextEncoder().encode('{}'))], config })).toThrow(
      `${session} came without its bytes`,
    );
  });
});
