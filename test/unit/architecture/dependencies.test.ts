/**
 * The direction of dependencies (docs/architecture.md): pipeline ← model ← rules ← engine ← run ←
 * faces. A small scanner reads the import lines of every module under src/, cli/ and action/src/
 * and checks the arrows that must not exist. Add an arrow as one line of ARROWS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Arrow {
  /** Modules the arrow starts from: folders (`src/model/`) or files (`src/engine.ts`). */
  from: readonly string[];
  /** What they must not import: folders, files or packages (`node:fs` covers `node:fs/promises`). */
  to: readonly string[];
  /** Modules under `from` the arrow does not apply to. */
  except?: readonly string[];
  /** Checks everything the modules reach through other modules too, not just their own imports. */
  closure?: boolean;
  /**
   * Follows only imports that remain at run time (`import type` and `export type` are erased);
   * `load`: only those loading the module loads, not the ones a dynamic `import()` defers.
   */
  runtime?: boolean | 'load';
  why: string;
}

/** Node modules that touch the disk, processes, threads or the network, and git. */
const IO = [
  'node:fs',
  'node:child_process',
  'node:worker_threads',
  'node:net',
  'node:http',
  'node:https',
  'isomorphic-git',
];
/** What sits above the engine: the run, the faces' server parts, the store, the report. */
const ABOVE_ENGINE = ['src/run/', 'src/app/', 'src/gateway/', 'src/dashboard/', 'src/store/', 'src/report/'];
const FACES = ['src/app/', 'src/gateway/', 'src/dashboard/', 'cli/', 'action/src/'];

// biome-ignore format: a table reads best one arrow a line
const ARROWS: readonly Arrow[] = [
  { from: ['src/pipeline/'], to: ['src/model/', 'src/rules/', 'src/engine.ts', ...ABOVE_ENGINE, ...IO], closure: true, why: 'the pipeline is below the model: it parses docs and knows no workspace' },
  { from: ['src/model/'], to: ['src/rules/', 'src/engine.ts', ...ABOVE_ENGINE, ...IO], closure: true, why: 'the model is pure: what rules read, built from files handed to it' },
  { from: ['src/rules/'], to: ['src/engine.ts', ...ABOVE_ENGINE, ...IO], closure: true, why: 'no rule does I/O or knows how it is run' },
  { from: ['src/engine.ts'], to: [...ABOVE_ENGINE, ...IO], closure: true, why: 'the engine is pure: files and config in, model and diagnostics out' },
  { from: ['src/config/'], to: ['src/run/', ...FACES], why: 'config (schema, loading, file selection) sits below the run that reads it' },
  { from: ['src/run/'], to: FACES, why: 'the run sits below every face' },
  { from: ['src/gateway/', 'src/dashboard/', 'src/admin/', 'src/server/', 'src/sync/', 'src/store/', 'src/analytics/', 'src/rules/', 'src/config/', 'src/run/', 'cli/'], to: ['src/app/'], except: ['cli/commands/app.ts'], why: 'shared server parts live in src/server, mirror rows beside the store: only the app command starts the App' },
  { from: ['src/sync/'], to: ['src/gateway/'], why: 'client and gateway share the wire schemas of src/sync/protocol.ts, not each other' },
  { from: ['src/run/facts-worker.ts'], to: ['zod'], closure: true, runtime: true, why: 'every worker loads what its script reaches: the parser and extraction, not the config schemas' },
  { from: ['cli/commands/validate.ts'], to: ['unified', 'remark-parse', 'yaml', 'zod', 'src/engine.ts', 'src/rules/registry.ts'], closure: true, runtime: 'load', why: 'a repeated run the memo answers (src/run/run-memo.ts) loads neither the parser, the rules nor zod (the bundles carry the default config and the rule set: scripts/startup-defines.ts)' },
  { from: ['src/run/early-facts.ts'], to: ['unified', 'remark-parse', 'yaml', 'src/model/build.ts'], closure: true, runtime: 'load', why: 'a cold run hands docs to its workers while it walks (src/run/early-facts.ts): loading the parser on its own thread waits until the first prefetch' },
  { from: FACES, to: ['src/engine.ts'], why: 'faces run the engine through check() (src/run/check.ts), the one place that sequences facts, rules and report' },
];

/**
 * Modules a closure does not look into. src/version.ts reads package.json only when run from
 * source: the bundles replace the read with the version itself.
 */
const OPAQUE = new Set(['src/version.ts']);

const ROOT = join(import.meta.dirname, '../../..');
const SCANNED = ['src', 'cli', 'action/src'];

function* modules(dir: string): Generator<string> {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) yield* modules(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

// Static imports and re-exports (one or many lines), side-effect imports; then dynamic imports.
const STATIC = [
  /^\s*(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
];
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Import and export lines that only carry types: the compiled module has none of them. */
const TYPE_ONLY = /^\s*(?:import|export)\s+type\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/gm;

/**
 * A module's imports: repo-relative paths for its own modules, package names (`node:` added)
 * otherwise. `runtime`: without the type-only ones (and with `load`, without dynamic ones).
 */
function importsOf(file: string, runtime: Arrow['runtime'] = false): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const typeOnly = runtime ? new Set([...text.matchAll(TYPE_ONLY)].map((m) => m.index)) : new Set();
  const found = [...STATIC, ...(runtime === 'load' ? [] : [DYNAMIC])].flatMap((re) =>
    [...text.matchAll(re)].filter((m) => !typeOnly.has(m.index)).map((m) => m[1]!),
  );
  return found.map((spec) =>
    spec.startsWith('.')
      ? relative(ROOT, join(ROOT, dirname(file), spec))
          .split('\\')
          .join('/')
      : isBuiltin(spec) && !spec.startsWith('node:')
        ? `node:${spec}`
        : spec,
  );
}

const FILES = SCANNED.flatMap((dir) => [...modules(dir)]);
const GRAPH = new Map(FILES.map((file) => [file, importsOf(file)]));
const RUNTIME_GRAPH = new Map(FILES.map((file) => [file, importsOf(file, true)]));
const LOAD_GRAPH = new Map(FILES.map((file) => [file, importsOf(file, 'load')]));

const matches = (id: string, pattern: string): boolean =>
  pattern.endsWith('/') ? id.startsWith(pattern) : id === pattern || id.startsWith(`${pattern}/`);

/** Every broken arrow as `module → import`, with the path through other modules for a closure. */
function violations(arrow: Arrow): string[] {
  const starts = [...GRAPH.keys()].filter(
    (file) => arrow.from.some((f) => matches(file, f)) && !arrow.except?.some((e) => matches(file, e)),
  );
  const graph = arrow.runtime === 'load' ? LOAD_GRAPH : arrow.runtime ? RUNTIME_GRAPH : GRAPH;
  const out: string[] = [];
  for (const start of starts) {
    const via = new Map<string, string[]>([[start, []]]);
    const queue = [start];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const id of graph.get(file) ?? []) {
        if (via.has(id)) continue;
        const path = [...via.get(file)!, ...(file === start ? [] : [file])];
        via.set(id, path);
        if (arrow.to.some((t) => matches(id, t)))
          out.push(`${start} → ${id}${path.length ? ` (via ${path.join(' → ')})` : ''}`);
        else if (arrow.closure && graph.has(id) && !OPAQUE.has(id)) queue.push(id);
      }
    }
  }
  return out;
}

describe('the direction of dependencies', () => {
  it('reads the import lines of every module, multi-line, type-only and dynamic ones too', () => {
    expect(GRAPH.get('src/engine.ts')).toContain('src/rules/registry.ts');
    expect(GRAPH.get('src/run/facts-pool.ts')).toContain('node:worker_threads');
    expect(GRAPH.get('src/model/model.ts')).toContain('src/pipeline/facts.ts');
    expect(GRAPH.get('cli/commands/app.ts')).toContain('src/app/serve.ts');
    expect(GRAPH.get('src/model/build.ts')).toContain('src/config/schema.ts');
    expect(RUNTIME_GRAPH.get('src/model/build.ts')).not.toContain('src/config/schema.ts');
    expect(RUNTIME_GRAPH.get('src/model/build.ts')).toContain('src/model/layout.ts');
  });

  it.each(ARROWS)('$why', (arrow) => {
    expect(GRAPH.size).toBeGreaterThan(0);
    expect(violations(arrow)).toEqual([]);
  });
});
