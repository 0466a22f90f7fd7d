import { afterAll, describe, expect, it } from 'vitest';
import { checkCommit, type PushedFile } from '../../../src/gateway/validate.ts';
import { gitBlobId } from '../../../src/model/blob-id.ts';
import { FactsPool } from '../../../src/run/facts-pool.ts';
import { TieredFactsCache } from '../../../src/run/memory-facts-cache.ts';

const pool = new FactsPool({ size: 0 });
afterAll(() => pool.close());
const engine = { workers: pool, facts: new TieredFactsCache() };

const file = (path: string, content: string): PushedFile => ({
  path,
  blob_sha: gitBlobId(new TextEncoder().encode(content)),
  content,
});
const DOCS = [
  file('projects/p/sessions/s/intents/intent.md', '# Intent\n\n## Goal\n\nExport invoices as CSV.\n'),
  file(
    'projects/p/sessions/s/feedback/feedback.md',
    '# Feedback\n\n## External / Internal Feedback\n\nFinance liked it.\n',
  ),
];

describe('the sync gateway reads the profile from the pushed config, as every face does', () => {
  it('keeps feedback citing no IDs at info by default and makes it an error under profile: strict', async () => {
    const severityOf = async (files: PushedFile[]) =>
      (await checkCommit(files, 'test', engine)).artifacts
        .flatMap((a) => a.diagnostics ?? [])
        .filter((d) => d.code === 'IDSE017')
        .map((d) => d.severity);
    expect(await severityOf(DOCS)).toEqual(['info']);
    expect(await severityOf([...DOCS, file('.github/idse.yml', 'profile: strict\n')])).toEqual(['error']);
  });
});
