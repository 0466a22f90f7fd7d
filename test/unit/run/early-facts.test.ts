import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.ts';
import { gitBlobId } from '../../../src/model/blob-id.ts';
import { computeFacts, docInputs } from '../../../src/model/build.ts';
import { factsSettingsOf } from '../../../src/model/facts-key.ts';
import type { SourceFile } from '../../../src/model/source.ts';
import { EarlyFacts } from '../../../src/run/early-facts.ts';
import { cacheFile } from '../../../src/run/facts-cache.ts';
import { INLINE_BELOW } from '../../../src/run/facts-pool.ts';
import { loadReport } from '../../../src/run/load.ts';

const config = ConfigSchema.parse({});

const doc = (i: number) => {
  const content = new TextEncoder().encode(`# Spec ${i}\n\n## Goal\n\nShip FR-${i}.\n`);
  const file = { path: `projects/p/sessions/s${i}/specs/spec.md`, size: content.byteLength, content };
  return { ...file, oid: gitBlobId(content) } satisfies SourceFile;
};

describe('EarlyFacts', () => {
  it('starts no worker for fewer docs than a command parses on its own thread', async () => {
    const early = new EarlyFacts(config);
    for (let i = 0; i < INLINE_BELOW - 1; i++) {
      expect(early.wants()).toBe(true);
      early.take(doc(i));
    }
    expect(await early.finish()).toBeUndefined();
  });

  it("begins the docs once there are enough, stops taking while the workers are behind, and the run's prefetch gets their facts", async () => {
    const early = new EarlyFacts(config);
    const taken = Array.from({ length: INLINE_BELOW }, (_, i) => doc(i));
    for (const file of taken) early.take(file);
    // Hundreds of docs queued for two workers at most: the walk keeps the next ones by id only.
    expect(early.wants()).toBe(false);
    const pool = (await early.finish())!;
    try {
      const docs = docInputs(taken, config);
      const resolve = await pool.prefetch(docs, config, undefined);
      for (const d of docs) expect(resolve(d)).toEqual(computeFacts(d, factsSettingsOf(config)));
    } finally {
      await pool.close();
    }
  });
});

describe('EarlyFacts without a worker script', () => {
  it('begins nothing, and the prefetch parses the docs on its own thread', async () => {
    vi.resetModules();
    vi.doMock(import('../../../src/run/worker-script.ts'), () => ({ workerScript: () => undefined }));
    try {
      const { EarlyFacts: Early } = await import('../../../src/run/early-facts.ts');
      const early = new Early(config);
      const taken = Array.from({ length: INLINE_BELOW }, (_, i) => doc(i));
      for (const file of taken) early.take(file);
      expect(early.wants()).toBe(true);
      const pool = (await early.finish())!;
      const docs = docInputs(taken, config);
      const resolve = await pool.prefetch(docs, config, undefined);
      for (const d of docs) expect(resolve(d)).toEqual(computeFacts(d, factsSettingsOf(config)));
      await pool.close();
    } finally {
      vi.doUnmock('../../../src/run/worker-script.ts');
      vi.resetModules();
    }
  });
});

describe('a cold run', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'idse-early-'));
    env = { IDSE_CACHE_DIR: path.join(root, '.cache') };
    // Enough docs for the walk to start workers, across projects so the run has several batches.
    for (let i = 0; i < 2 * INLINE_BELOW; i++) {
      const dir = path.join(root, `projects/p${i % 7}/sessions/s${i}/specs`);
      await mkdir(dir, { recursive: true });
      await writeFile(
        path.join(dir, 'spec.md'),
        `# Specification: s${i}\n\n## Overview\n\nShip FR-${i}.\n\n## Requirements\n\n[REQUIRES INPUT]\n`,
      );
    }
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('reports what a run that parses nothing during the walk reports', async () => {
    const cold = await loadReport({ cwd: root, env, cache: false });
    // With a cache file, even an empty one, the run is not cold: its docs are read again and parsed in batches.
    const warm = { IDSE_CACHE_DIR: path.join(root, '.warm') };
    await mkdir(warm.IDSE_CACHE_DIR);
    await writeFile(cacheFile(root, 'facts', 'bin', warm), '');
    const batched = await loadReport({ cwd: root, env: warm, memo: false });
    expect(cold.report.diagnostics.length).toBeGreaterThan(2 * INLINE_BELOW);
    expect(cold).toEqual(batched);
  });
});
