// Starts the local stand-in of the Actions cache service (cache-standin-server.ts) in its own
// process, and gives the runner variables that point @actions/cache at it.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./cache-standin-server.ts', import.meta.url));
const TOKEN = 'standin-token';

export interface StandinState {
  entries: { key: string; version: string; size: number }[];
  /** `POST CreateCacheEntry`, `PUT blob`, `GET blob`, … in the order received. */
  calls: string[];
}

export interface CacheStandin {
  /** What the runner sets for a job with the cache service v2. */
  env: NodeJS.ProcessEnv;
  state(): Promise<StandinState>;
  close(): Promise<void>;
}

export async function startCacheStandin(): Promise<CacheStandin> {
  const child: ChildProcess = spawn(process.execPath, [SERVER], {
    env: { ...process.env, STANDIN_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [url] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return {
    env: { ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_RESULTS_URL: `${url}/`, ACTIONS_RUNTIME_TOKEN: TOKEN },
    state: async () => (await (await fetch(`${url}/standin/entries`)).json()) as StandinState,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill();
      await once(child, 'exit');
    },
  };
}
