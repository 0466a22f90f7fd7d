// The cache module with the toolkit's calls injected: keying, counting, and that no failure of the
// cache service ever escapes into the step.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CacheLog,
  type CacheToolkit,
  cacheKey,
  factKeys,
  keyPrefix,
  type Restored,
  restoreFacts,
  saveFacts,
} from '../../../action/src/cache.ts';
import { FACTS_VERSION } from '../../../src/model/facts-key.ts';
import type { DocFacts } from '../../../src/pipeline/facts.ts';
import { FileFactsCache } from '../../../src/run/facts-cache.ts';
import { tempDir } from '../../helpers/cli.ts';

const OS = 'linux-x64';

/** A facts file as the engine writes it, holding these content keys. */
function factsFile(keys: string[]): string {
  const file = join(tempDir('idse-facts-'), 'facts.bin');
  const cache = new FileFactsCache(file);
  for (const key of keys) cache.set(key, { key } as unknown as DocFacts);
  cache.save();
  return file;
}

interface Call {
  name: string;
  args: unknown[];
}

/** A toolkit whose calls are recorded; `behave` overrides what they do. */
function fakeToolkit(behave: Partial<CacheToolkit> = {}): { toolkit: CacheToolkit; calls: Call[] } {
  const calls: Call[] = [];
  const record =
    <A extends unknown[], R>(name: string, fn: (...args: A) => R) =>
    (...args: A): R => {
      calls.push({ name, args });
      return fn(...args);
    };
  const toolkit: CacheToolkit = {
    isFeatureAvailable: record('isFeatureAvailable', behave.isFeatureAvailable ?? (() => true)),
    restoreCache: record('restoreCache', behave.restoreCache ?? (async () => undefined)),
    saveCache: record('saveCache', behave.saveCache ?? (async () => 7)),
  };
  return { toolkit, calls };
}

function fakeLog(): { info: string[]; warning: string[]; log: CacheLog } {
  const info: string[] = [];
  const warning: string[] = [];
  const log = { info: (m: string) => info.push(m), warning: (m: string) => warning.push(m), debug: () => {} };
  return { info, warning, log };
}

describe('cache keys', () => {
  it('name the facts version, the platform and the set of content keys, in any order', () => {
    expect(keyPrefix(OS)).toBe(`idse-facts-v${FACTS_VERSION}-${OS}-`);
    const key = cacheKey(OS, ['b', 'a', 'c']);
    expect(key).toMatch(new RegExp(`^idse-facts-v${FACTS_VERSION}-${OS}-[0-9a-f]{32}$`));
    expect(cacheKey(OS, new Set(['c', 'a', 'b']))).toBe(key);
    expect(cacheKey(OS, ['a', 'b'])).not.toBe(key);
    expect(cacheKey('darwin-arm64', ['a', 'b', 'c'])).not.toBe(key);
  });

  it('read the content keys of a facts file, and none of a missing or foreign file', () => {
    expect(factKeys(factsFile(['k1', 'k2']))).toEqual(new Set(['k1', 'k2']));
    const dir = tempDir('idse-facts-');
    expect(factKeys(join(dir, 'missing.bin'))).toEqual(new Set());
    writeFileSync(join(dir, 'garbage.bin'), 'not v8');
    expect(factKeys(join(dir, 'garbage.bin'))).toEqual(new Set());
  });
});

describe('restoreFacts', () => {
  it('does nothing, quietly, without the cache service', async () => {
    const { toolkit, calls } = fakeToolkit({ isFeatureAvailable: () => false });
    const { info, warning, log } = fakeLog();
    expect(await restoreFacts(toolkit, [factsFile([])], OS, log)).toBeUndefined();
    expect(calls.map((c) => c.name)).toEqual(['isFeatureAvailable']);
    expect([...info, ...warning]).toEqual([]);
  });

  it('restores the newest entry of the prefix, with the memos, and reads what its facts hold', async () => {
    const file = factsFile(['k1', 'k2']);
    const paths: [string, string] = [file, join(dirname(file), 'projects.json')];
    const { toolkit, calls } = fakeToolkit({ restoreCache: async () => `${keyPrefix(OS)}abc` });
    const restored = await restoreFacts(toolkit, paths, OS, fakeLog().log);
    expect(restored).toEqual({
      file,
      paths,
      os: OS,
      matched: `${keyPrefix(OS)}abc`,
      keys: new Set(['k1', 'k2']),
    });
    expect(calls[1]).toEqual({ name: 'restoreCache', args: [paths, keyPrefix(OS), [keyPrefix(OS)]] });
  });

  it('goes on without facts, with a warning, when the service fails', async () => {
    const { toolkit } = fakeToolkit({
      restoreCache: async () => {
        throw new Error('Key Validation Error: too long\nat somewhere');
      },
    });
    const { warning, log } = fakeLog();
    const file = factsFile(['left-over']);
    expect(await restoreFacts(toolkit, [file], OS, log)).toEqual({
      file,
      paths: [file],
      os: OS,
      matched: undefined,
      keys: new Set(),
    });
    expect(warning).toEqual(['idse: facts cache not restored: Key Validation Error: too long']);
  });
});

describe('saveFacts', () => {
  const restoredFrom = (file: string, keys: string[]): Restored => ({
    file,
    paths: [file, join(dirname(file), 'projects.json')],
    os: OS,
    matched: keys.length ? `${keyPrefix(OS)}old` : undefined,
    keys: new Set(keys),
  });

  it('saves nothing when every doc came from the restored facts', async () => {
    const { toolkit, calls } = fakeToolkit();
    const { info, log } = fakeLog();
    const saved = await saveFacts(toolkit, restoredFrom(factsFile(['k1', 'k2']), ['k1', 'k2', 'gone']), log);
    expect(saved).toEqual({ parsed: 0, cached: 2, key: undefined });
    expect(calls).toEqual([]);
    expect(info).toEqual([`idse: 0 docs parsed, 2 from the facts cache (restored ${keyPrefix(OS)}old)`]);
  });

  it('saves the file under its content key when the run parsed something', async () => {
    const file = factsFile(['k1', 'new']);
    const { toolkit, calls } = fakeToolkit();
    const { info, log } = fakeLog();
    const saved = await saveFacts(toolkit, restoredFrom(file, ['k1']), log);
    const key = cacheKey(OS, ['k1', 'new']);
    expect(saved).toEqual({ parsed: 1, cached: 1, key });
    expect(calls).toEqual([{ name: 'saveCache', args: [[file, join(dirname(file), 'projects.json')], key] }]);
    expect(info.at(-1)).toBe(`idse: facts cache saved as ${key}`);
  });

  it('reports no key when the toolkit could not save (an existing key, a reservation refused)', async () => {
    const { toolkit } = fakeToolkit({ saveCache: async () => -1 });
    const { info, warning, log } = fakeLog();
    const saved = await saveFacts(toolkit, restoredFrom(factsFile(['k1']), []), log);
    expect(saved).toEqual({ parsed: 1, cached: 0, key: undefined });
    expect(info).toEqual(['idse: 1 docs parsed, 0 from the facts cache (nothing to restore)']);
    expect(warning).toEqual([]);
  });

  it('turns a failing save into a warning', async () => {
    const { toolkit } = fakeToolkit({
      saveCache: async () => {
        throw new Error(
          'Path Validation Error: Path(s) specified in the action for caching do(es) not exist',
        );
      },
    });
    const { warning, log } = fakeLog();
    const saved = await saveFacts(toolkit, restoredFrom(factsFile(['k1']), []), log);
    expect(saved.key).toBeUndefined();
    expect(warning).toEqual([
      'idse: facts cache not saved: Path Validation Error: Path(s) specified in the action for caching do(es) not exist',
    ]);
  });
});
