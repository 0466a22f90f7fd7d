// The bundled action against a local stand-in of the Actions cache service (v2, Twirp + blob URLs):
// the facts of one run travel to the next, which parses only what changed.
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CacheStandin, startCacheStandin } from '../../helpers/cache-standin.ts';
import { tempDir } from '../../helpers/cli.ts';
import { runAction, SESSION, scaffold } from './harness.ts';

const PREFIX = new RegExp(`^idse-facts-v\\d+-${process.platform}-${process.arch}-[0-9a-f]{32}$`);

/** The action's own lines: what it parsed, restored and saved. */
const cacheLines = (stdout: string) =>
  stdout.split('\n').filter((line) => /^idse: (\d+ docs parsed|facts cache)/.test(line));

describe('the action with the cache service', () => {
  let standin: CacheStandin;
  beforeAll(async () => {
    standin = await startCacheStandin();
  });
  afterAll(() => standin.close());

  it('saves the facts after a cold run, restores them on the next one and parses only the changed doc', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout);
    // The toolkit keys entries by their paths too, so the runner's temp dir is the same for every run,
    // as on a hosted runner; emptying it makes each run a fresh runner whose only facts come from the service.
    const runnerTemp = tempDir('idse-runner-temp-');
    const run = () => {
      rmSync(join(runnerTemp, 'idse-cache'), { recursive: true, force: true });
      return runAction({
        checkout,
        env: { ...standin.env, RUNNER_TEMP: runnerTemp },
        inputs: { format: 'github' },
      });
    };

    const cold = run();
    expect(cold.stderr).toBe('');
    expect(cold.status).toBe(1);
    const [coldCount, coldSaved] = cacheLines(cold.stdout);
    const docs = Number(
      /^idse: (\d+) docs parsed, 0 from the facts cache \(nothing to restore\)$/.exec(coldCount!)?.[1],
    );
    expect(docs).toBeGreaterThan(5);
    const firstKey = /^idse: facts cache saved as (\S+)$/.exec(coldSaved!)?.[1];
    expect(firstKey).toMatch(PREFIX);
    expect((await standin.state()).entries.map((e) => e.key)).toEqual([firstKey]);

    const warm = run();
    expect(warm.status).toBe(1);
    expect(warm.outputs).toEqual(cold.outputs);
    expect(cacheLines(warm.stdout)).toEqual([
      `idse: 0 docs parsed, ${docs} from the facts cache (restored ${firstKey})`,
    ]);
    expect((await standin.state()).entries).toHaveLength(1);

    appendFileSync(join(checkout, SESSION, 'intents/intent.md'), '\nOne more line.\n');
    const changed = run();
    expect(changed.status).toBe(1);
    const [changedCount, changedSaved] = cacheLines(changed.stdout);
    expect(changedCount).toBe(`idse: 1 docs parsed, ${docs - 1} from the facts cache (restored ${firstKey})`);
    const secondKey = /^idse: facts cache saved as (\S+)$/.exec(changedSaved!)?.[1];
    expect(secondKey).toMatch(PREFIX);
    expect(secondKey).not.toBe(firstKey);

    // The newest entry wins the prefix.
    const again = run();
    expect(cacheLines(again.stdout)).toEqual([
      `idse: 0 docs parsed, ${docs} from the facts cache (restored ${secondKey})`,
    ]);
    const { entries, calls } = await standin.state();
    expect(entries.map((e) => e.key)).toEqual([firstKey, secondKey]);
    expect(calls.filter((c) => c !== 'POST GetCacheEntryDownloadURL' && c !== 'GET blob')).toEqual([
      ...['POST CreateCacheEntry', 'PUT blob', 'POST FinalizeCacheEntryUpload'],
      ...['POST CreateCacheEntry', 'PUT blob', 'POST FinalizeCacheEntryUpload'],
    ]);
  });

  it('checks without the cache when the service is unreachable, with a warning', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout);
    const run = runAction({
      checkout,
      env: { ...standin.env, ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/' },
      inputs: { format: 'github' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.outputs.errors).not.toBe('');
    expect(run.stdout).toMatch(/^::warning::Failed to restore: /m);
  });

  it('leaves the service alone with cache: false', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout);
    const before = (await standin.state()).calls.length;
    const run = runAction({ checkout, env: standin.env, inputs: { format: 'github', cache: 'false' } });
    expect(run.status).toBe(1);
    expect(cacheLines(run.stdout)).toEqual([]);
    expect((await standin.state()).calls).toHaveLength(before);
  });
});
