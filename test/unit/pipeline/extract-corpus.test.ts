import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../../src/pipeline/extract.ts';
import { DEFAULT_ID_PATTERNS } from '../../../src/pipeline/ids.ts';

const CORPUS = 'test/fixtures/corpus';

/**
 * A digest of every corpus doc's facts. Extraction's mechanics (how the tree is walked, how text is
 * matched) must not change what it extracts: a change here is either a bug or a deliberate change of
 * output, which also bumps FACTS_VERSION (src/model/build.ts) and updates this snapshot (`-u`).
 */
describe('facts of the upstream corpus', () => {
  it('are what extraction produced before', async () => {
    const docs = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
      .filter((p) => p.endsWith('.md'))
      .sort();
    expect(docs.length).toBeGreaterThan(50);
    const digests = docs.map((path) => {
      const facts = extractFacts(readFileSync(`${CORPUS}/${path}`, 'utf8'), { ids: DEFAULT_ID_PATTERNS });
      const digest = createHash('sha1').update(JSON.stringify(facts)).digest('hex').slice(0, 16);
      return `${digest} ${path}`;
    });
    await expect(`${digests.join('\n')}\n`).toMatchFileSnapshot('./__snapshots__/corpus-facts.txt');
  });
});
