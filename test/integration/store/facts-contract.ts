/**
 * The facts methods of the store contract (docs' facts by content key, shared by App replicas), run
 * by every backend through describeStoreContract.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DocFacts } from '../../../src/pipeline/facts.ts';
import type { Store } from '../../../src/store/store.ts';
import { type Db, storeError } from './harness.ts';

/** A fresh key shaped like factsKey's (a settings digest, a blob id): tests share a database. */
const newKey = () => randomBytes(20).toString('base64url') + randomBytes(20).toString('hex');
const newSha = () => randomBytes(20).toString('hex');

const factsOf = (title: string): DocFacts => ({
  lineCount: 3,
  title,
  headings: [
    {
      depth: 1,
      text: title,
      key: title.toLowerCase(),
      span: [1, 1, 1, 3],
      empty: false,
      filled: true,
      endLine: 3,
    },
  ],
  ids: [],
  tasks: [],
  markers: [[2, 1, 2, 17]],
  links: [],
  taskRefs: [],
  suppressions: [],
  secrets: [],
  guardrails: [],
  designRefs: [],
  scaffolds: [],
  filled: true,
});

const attempt = async (run: () => Promise<unknown>) => {
  try {
    await run();
    return 'allowed';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
};

export function describeFactsContract(get: () => { store: Store; db: Db }): void {
  describe('facts', () => {
    it('answers the facts it has among the keys asked, in one call, and keeps the first facts of a key', async () => {
      const { store } = get();
      const [a, b, missing] = [newKey(), newKey(), newKey()];
      expect(
        await store.saveFacts(
          new Map([
            [a, factsOf('A')],
            [b, factsOf('B')],
          ]),
        ),
      ).toBe(2);
      // The same key means the same content: a second writer adds nothing and changes nothing.
      expect(
        await store.saveFacts(
          new Map([
            [a, factsOf('other')],
            [missing, factsOf('M')],
          ]),
        ),
      ).toBe(1);
      const found = await store.fetchFacts([a, b, a, newKey()]);
      expect(found).toEqual(
        new Map([
          [a, factsOf('A')],
          [b, factsOf('B')],
        ]),
      );
      expect(await store.fetchFacts([])).toEqual(new Map());
      expect(await store.saveFacts(new Map())).toBe(0);
    });

    it('refuses malformed keys and facts before writing anything', async () => {
      const { store } = get();
      const good = newKey();
      const badKey = await storeError(
        store.saveFacts(
          new Map([
            [good, factsOf('G')],
            ['not a key!', factsOf('X')],
          ]),
        ),
      );
      expect(badKey.code).toBe('invalid-payload');
      const badFacts = await storeError(
        store.saveFacts(new Map([[good, { title: 'no lines' } as unknown as DocFacts]])),
      );
      expect(badFacts.code).toBe('invalid-payload');
      expect((await storeError(store.fetchFacts(['../etc']))).code).toBe('invalid-payload');
      expect(await store.fetchFacts([good])).toEqual(new Map());
    });

    it('keeps texts of small files by blob id: one call each way, the first text of an id kept, bad input refused', async () => {
      const { store } = get();
      const [a, b, missing] = [newSha(), newSha(), newSha()];
      expect(
        await store.saveBlobTexts(
          new Map([
            [a, 's1\n'],
            [b, '{"session_id": "s2"}\n'],
          ]),
        ),
      ).toBe(2);
      expect(await store.saveBlobTexts(new Map([[a, 'other\n']]))).toBe(0);
      expect(await store.fetchBlobTexts([a, b, a, missing])).toEqual(
        new Map([
          [a, 's1\n'],
          [b, '{"session_id": "s2"}\n'],
        ]),
      );
      expect(await store.fetchBlobTexts([])).toEqual(new Map());
      expect(await store.saveBlobTexts(new Map())).toBe(0);
      const bad = [
        store.saveBlobTexts(new Map([['not-a-sha', 'x']])),
        store.saveBlobTexts(new Map([[newSha(), 'nul \0 inside']])),
        store.saveBlobTexts(new Map([[newSha(), 'x'.repeat(65_537)]])),
        store.fetchBlobTexts(['../etc']),
      ];
      for (const attempt of bad) expect((await storeError(attempt)).code).toBe('invalid-payload');
    });

    it('stamps what it reads and drops entries no read stamped for 30 days when it writes', async () => {
      const { store, db } = get();
      const [stale, idle, fresh] = [newKey(), newKey(), newKey()];
      await store.saveFacts(
        new Map([
          [stale, factsOf('S')],
          [idle, factsOf('I')],
        ]),
      );
      await db.query(
        `update idse.doc_facts set last_used_at = now() - case key when $1 then interval '31 days' else interval '2 days' end
         where key in ($1, $2)`,
        [stale, idle],
      );
      expect([...(await store.fetchFacts([idle])).keys()]).toEqual([idle]);
      const used = await db.query<{ recent: boolean }>(
        `select last_used_at > now() - interval '1 hour' as recent from idse.doc_facts where key = $1`,
        [idle],
      );
      expect(used.rows).toEqual([{ recent: true }]);
      await store.saveFacts(new Map([[fresh, factsOf('F')]]));
      expect(new Set((await store.fetchFacts([stale, idle, fresh])).keys())).toEqual(new Set([idle, fresh]));
    });

    it('is the service role’s alone: other roles can neither read the table nor call its functions', async () => {
      const { store, db } = get();
      const key = newKey();
      await store.saveFacts(new Map([[key, factsOf('K')]]));
      const sha = newSha();
      await store.saveBlobTexts(new Map([[sha, 'text\n']]));
      const claims = { role: 'authenticated', client_id: crypto.randomUUID() };
      const statements = {
        read: ['select key from idse.doc_facts', []],
        fetch: ['select idse.fetch_doc_facts($1::jsonb)', [JSON.stringify([key])]],
        save: [`select idse.save_doc_facts('[]'::jsonb)`, []],
        readTexts: ['select sha from idse.blob_texts', []],
        fetchTexts: ['select idse.fetch_blob_texts($1::jsonb)', [JSON.stringify([sha])]],
        saveTexts: [`select idse.save_blob_texts('[]'::jsonb)`, []],
      } as const;
      for (const role of ['authenticated', 'anon'] as const) {
        const outcomes: Record<string, string> = {};
        // One transaction each: a refused statement aborts the transaction it runs in.
        for (const [name, [text, params]] of Object.entries(statements))
          outcomes[name] = await db.as(role, claims, (q) => attempt(() => q(text, [...params])));
        expect({ role, outcomes }).toEqual({
          role,
          outcomes: {
            read: '42501',
            fetch: '42501',
            save: '42501',
            readTexts: '42501',
            fetchTexts: '42501',
            saveTexts: '42501',
          },
        });
      }
      // Granted every privilege by mistake, RLS (forced, no policy) still shows them no row.
      const granted = await db.as(
        'authenticated',
        claims,
        async (q) =>
          (await q('select key from idse.doc_facts')).rowCount! +
          (await q('select sha from idse.blob_texts')).rowCount!,
        { grantWrites: true },
      );
      expect(granted).toBe(0);
    });
  });
}
