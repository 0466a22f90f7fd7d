import { existsSync } from 'node:fs';

/**
 * A worker thread's script, found from the module that starts it (`from`: its import.meta.url): beside
 * it in the source tree (`<name>.ts`, or `.js` when compiled in place), or at the top of dist/ in the
 * bundle, where the starting module sits in dist/chunks/.
 */
export function workerScript(name: string, from: string): URL | undefined {
  return [new URL(`./${name}.ts`, from), new URL(`./${name}.js`, from), new URL(`../${name}.js`, from)].find(
    (url) => url.protocol === 'file:' && existsSync(url),
  );
}
