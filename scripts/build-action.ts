// Bundles the GitHub Action into action/dist/, which is committed: the runner executes
// action/dist/index.js straight from the repository, with no install step. Everything is inside,
// @actions/core included. The facts worker is a second entry so big workspaces parse on every core,
// as with the CLI (facts-pool.ts looks for it beside the bundle).
//
// `node scripts/build-action.ts [--outdir DIR]`; the test builds into a temp dir and compares.
// The output is deterministic (paths in it are relative to the repo root, whatever the cwd), so a
// stale committed bundle shows up as a byte difference.
//
// The version define and the require banner repeat scripts/build.ts: importing that module would run
// the CLI build, so the few shared options are duplicated rather than shared.
import { readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { startupDefines } from './startup-defines.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string };
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = values.outdir ? resolve(values.outdir) : resolve(ROOT, 'action/dist');

/**
 * Node built-ins come through require(), as the CommonJS dependencies already take them. Imported as
 * ES modules they get a facade that reads every export once at start-up, which runs every lazy
 * getter: `node:http`'s loads Node's own undici, ~50 ms of each run's start.
 */
const builtinsViaRequire: Plugin = {
  name: 'builtins-via-require',
  setup(b) {
    b.onResolve({ filter: /^[\w:/]+$/ }, ({ path, namespace }) => {
      if (!isBuiltin(path)) return undefined;
      return namespace === 'builtin' ? { path, external: true } : { path, namespace: 'builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(path)});`,
      loader: 'js',
    }));
  },
};

/**
 * @actions/http-client imports undici only to make a ProxyAgent when a proxy is configured; evaluated
 * at start-up anyway it costs ~20 ms a run. Bundled still, it is evaluated when a proxy needs it.
 */
const undiciWhenProxied: Plugin = {
  name: 'undici-when-proxied',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, ({ importer, namespace }) =>
      namespace !== 'undici-when-proxied' && importer.includes('/@actions/http-client/')
        ? { path: 'undici', namespace: 'undici-when-proxied' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'undici-when-proxied' }, () => ({
      contents:
        "export class ProxyAgent { constructor(...args) { return new (require('undici').ProxyAgent)(...args); } }",
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: { index: 'action/src/main.ts', 'facts-worker': 'src/run/facts-worker.ts' },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  define: { __IDSE_VERSION__: JSON.stringify(pkg.version), ...(await startupDefines()) },
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __idseCreateRequire } from 'node:module'; const require = __idseCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [builtinsViaRequire, undiciWhenProxied],
});
