/** The generated corpus the benchmarks share: bench/.corpus, rebuilt only when its settings or the generator change. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CorpusStats, generateCorpus } from '../generate-corpus.ts';

export const CORPUS = 'bench/.corpus';
/** Fixed so every run of a benchmark, anywhere, measures the same bytes. */
export const SEED = 1;

export type Manifest = CorpusStats & { seed: number; generator: string };

/** Changes whenever the generator's code does, so an edited generator never reuses an old corpus. */
function generatorHash(root: string): string {
  const hash = createHash('sha1');
  const gen = join(root, 'bench', 'gen');
  const files = [join(root, 'bench', 'generate-corpus.ts'), ...readdirSync(gen).map((f) => join(gen, f))];
  files.sort();
  for (const file of files) hash.update(readFileSync(file));
  return hash.digest('hex').slice(0, 12);
}

/** Reuses bench/.corpus only when its manifest says it was made with these settings and this generator. */
export function ensureCorpus(root: string, sessions: number, log: (msg: string) => void): Manifest {
  const out = join(root, 'bench', '.out');
  const manifest = join(out, 'corpus.json');
  const dir = join(root, CORPUS);
  const generator = generatorHash(root);
  if (existsSync(manifest) && existsSync(dir)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
    if (m.sessions === sessions && m.seed === SEED && m.generator === generator) return m;
  }
  log(`generating ${CORPUS} (${sessions} sessions, seed ${SEED})…`);
  const stats: Manifest = { ...generateCorpus({ sessions, seed: SEED, out: dir }), seed: SEED, generator };
  mkdirSync(out, { recursive: true });
  writeFileSync(manifest, `${JSON.stringify(stats, null, 2)}\n`);
  return stats;
}
