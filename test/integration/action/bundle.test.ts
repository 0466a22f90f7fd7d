import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.ts';
import { REPO } from './harness.ts';

const COMMITTED = join(REPO, 'action/dist');
const STALE = 'action/dist is stale: run node scripts/build-action.ts and commit action/dist';

describe('the committed action bundle', () => {
  it('is byte-identical to a fresh build of the sources', () => {
    const elsewhere = tempDir('idse-action-build-');
    const out = join(elsewhere, 'dist');
    // From another folder: the output must not depend on the working directory either.
    const build = spawnSync(process.execPath, [join(REPO, 'scripts/build-action.ts'), '--outdir', out], {
      cwd: elsewhere,
      encoding: 'utf8',
    });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    const fresh = readdirSync(out).sort();
    expect(fresh).toEqual(['facts-worker.js', 'index.js']);
    expect(readdirSync(COMMITTED).sort(), STALE).toEqual(fresh);
    for (const file of fresh) {
      // Compared as buffers: a failure then names the file instead of printing megabytes of diff.
      const same = readFileSync(join(out, file)).equals(readFileSync(join(COMMITTED, file)));
      expect(same, `${STALE} (${file} differs)`).toBe(true);
    }
  });

  it('needs nothing outside action/dist at run time', () => {
    const index = readFileSync(join(COMMITTED, 'index.js'), 'utf8');
    // Only Node built-ins may be loaded; every package is inside the bundle. debug tries
    // supports-color inside a try block, and does without it.
    const required = [...index.matchAll(/\b__require\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((specifier) => !isBuiltin(specifier))).toEqual(['supports-color']);
    expect(index).not.toContain('__IDSE_VERSION__');
  });

  it('imports no built-in as an ES module but node:module, so none pays for a facade at start-up', () => {
    for (const file of ['index.js', 'facts-worker.js']) {
      const text = readFileSync(join(COMMITTED, file), 'utf8');
      const imports = [...text.matchAll(/^import [^;]* from ['"]([^'"]+)['"];/gm)].map((m) => m[1]!);
      expect(imports, file).toEqual(['node:module']);
    }
  });
});
