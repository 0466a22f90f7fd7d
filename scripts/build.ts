// Bundles the CLI and the library into dist/. One self-contained ESM bundle each, so an installed
// `idse` resolves no modules at start-up and `idse --version` loads only the tiny entry chunk.
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { startupDefines } from './startup-defines.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const shared = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  define: { __IDSE_VERSION__: JSON.stringify(pkg.version), ...(await startupDefines()) },
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __idseCreateRequire } from 'node:module'; const require = __idseCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
} as const;

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  ...shared,
  entryPoints: {
    cli: 'cli/main.ts',
    index: 'src/index.ts',
    // The dashboard renders clients' docs off the event loop (src/dashboard/doc-renderer.ts).
    'doc-worker': 'src/dashboard/doc-worker.ts',
    // `probot run node_modules/idse/dist/app.js` works as well as `idse app`.
    app: 'src/app/index.ts',
  },
  outdir: 'dist',
  splitting: true,
  // jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow: use its ESM build.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  chunkNames: 'chunks/[name]-[hash]',
});
// The facts worker is a bundle of its own, not an entry of the split build above: there it imported
// the chunks it shares with the CLI, zod's among them, and every worker loaded and compiled them.
// Alone it holds only the parser and extraction (under half the code), at the cost of a second copy.
await build({ ...shared, entryPoints: { 'facts-worker': 'src/run/facts-worker.ts' }, outdir: 'dist' });

// PGlite loads its Postgres build (wasm, data files) from beside its own code, which now sits in
// dist/chunks: ship them there, or the embedded store can't start from the bundle.
const pglite = new URL('../node_modules/@electric-sql/pglite/dist/', import.meta.url);
for (const file of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) {
  copyFileSync(new URL(file, pglite), new URL(`../dist/chunks/${file}`, import.meta.url));
}
