/**
 * The sync methods of the store contract (synced workspaces and published docs), run by every
 * backend through describeStoreContract.
 */
import { describe, expect, it } from 'vitest';
import { gitBlobId } from '../../../src/model/blob-id.ts';
import type { Store } from '../../../src/store/store.ts';
import type { SyncPushInput } from '../../../src/store/sync-schema.ts';
import { artifact, commitSha, session, tenant } from './fixtures.ts';
import { counts, type Db, storeError } from './harness.ts';

const sha = (text: string) => gitBlobId(new TextEncoder().encode(text));

/** A client without GitHub, as `idse agency clients add` creates it. */
async function syncClient(store: Store) {
  const t = tenant('sync');
  const { client_id } = await store.createClient({ name: t.login });
  return { t, client: client_id };
}

export function describeSyncContract(get: () => { store: Store; db: Db }): void {
  describe('sync', () => {
    it('creates one synced workspace per project with a negative id, stores blobs and names the missing ones', async () => {
      const { store, db } = get();
      const { t, client } = await syncClient(store);
      const [a, b] = [sha('# A'), sha('# B')];
      const request = {
        request_id: crypto.randomUUID(),
        client_id: client,
        project: 'web',
        ref: 'refs/heads/main',
        commit_sha: commitSha(`${t.login}-1`),
        blob_shas: [b, a, a],
        blobs: [{ blob_sha: a, content: '# A' }],
      };
      const first = await store.syncPrepare(request);
      expect(first).toEqual({
        replayed: false,
        repository_id: expect.any(Number),
        recorded: false,
        sync_event_id: null,
        stored: 1,
        missing: [b],
      });
      if (first.replayed) throw new Error('unreachable');
      expect(first.repository_id).toBeLessThan(0);
      const repo = await db.query(
        'select full_name, source, sync_project, installation_id from idse.repositories where id = $1',
        [first.repository_id],
      );
      expect(repo.rows).toEqual([
        { full_name: `${t.login}/web`, source: 'sync', sync_project: 'web', installation_id: null },
      ]);

      // The same request id again is a replay: refused, and nothing is written.
      const before = await counts(db, client);
      const replay = await store.syncPrepare({ ...request, blobs: [{ blob_sha: b, content: '# B' }] });
      expect(replay).toEqual({ replayed: true });
      expect(await counts(db, client)).toEqual(before);

      const second = await store.syncPrepare({
        ...request,
        request_id: crypto.randomUUID(),
        blobs: [{ blob_sha: b, content: '# B' }],
      });
      expect(second).toMatchObject({ repository_id: first.repository_id, stored: 1, missing: [] });
      const other = await store.syncPrepare({
        ...request,
        request_id: crypto.randomUUID(),
        project: 'api',
        blobs: [],
      });
      expect(other).toMatchObject({ replayed: false, stored: 0, missing: [a, b].sort() });
      expect(other.replayed === false && other.repository_id).not.toBe(first.repository_id);

      expect(
        await store.syncBlobs({ client_id: client, repository_id: first.repository_id, blob_shas: [a, b] }),
      ).toEqual(
        [
          { blob_sha: a, content: '# A' },
          { blob_sha: b, content: '# B' },
        ].sort((x, y) => (x.blob_sha < y.blob_sha ? -1 : 1)),
      );
      const stranger = await syncClient(store);
      expect(
        await store.syncBlobs({
          client_id: stranger.client,
          repository_id: first.repository_id,
          blob_shas: [a],
        }),
      ).toEqual([]);
      expect(
        (await storeError(store.syncPrepare({ ...request, request_id: crypto.randomUUID(), project: '..' })))
          .code,
      ).toBe('invalid-payload');
    });

    it('looks a push up without writing anything: replays, the workspace, what is recorded and missing', async () => {
      const { store, db } = get();
      const { t, client } = await syncClient(store);
      const [a, b] = [sha('# A'), sha('# B')];
      const request = {
        request_id: crypto.randomUUID(),
        client_id: client,
        project: 'web',
        ref: 'refs/heads/main',
        commit_sha: commitSha(`${t.login}-look`),
        blob_shas: [b, a, a],
      };
      const before = await counts(db, client);
      expect(await store.syncLookup({ ...request, given_shas: [a] })).toEqual({
        replayed: false,
        repository_id: null,
        recorded: false,
        sync_event_id: null,
        missing: [b],
      });
      expect(await counts(db, client)).toEqual(before);
      const prepared = await store.syncPrepare({ ...request, blobs: [{ blob_sha: a, content: '# A' }] });
      if (prepared.replayed) throw new Error('unreachable');
      expect(await store.syncLookup({ ...request, given_shas: [] })).toEqual({ replayed: true });
      expect(await store.syncLookup({ ...request, request_id: crypto.randomUUID() })).toEqual({
        replayed: false,
        repository_id: prepared.repository_id,
        recorded: false,
        sync_event_id: null,
        missing: [b],
      });
    });

    it("collects a workspace's blobs a day old that no doc version uses, and only those", async () => {
      const { store, db } = get();
      const { t, client } = await syncClient(store);
      const used = await artifact({
        path: 'projects/web/sessions/s1/intents/intent.md',
        content: 'used',
        project: 'web',
      });
      const [fresh, stale] = [sha('fresh'), sha('stale')];
      const prepared = await store.syncPrepare({
        request_id: crypto.randomUUID(),
        client_id: client,
        project: 'web',
        ref: 'refs/heads/main',
        commit_sha: commitSha(`${t.login}-gc`),
        blob_shas: [used.blob_sha, fresh, stale],
        blobs: [
          { blob_sha: used.blob_sha, content: 'used' },
          { blob_sha: fresh, content: 'fresh' },
          { blob_sha: stale, content: 'stale' },
        ],
      });
      if (prepared.replayed) throw new Error('unreachable');
      const { repository_id } = prepared;
      await store.recordSyncPush({
        client_id: client,
        repository_id,
        ref: 'refs/heads/main',
        commit_sha: commitSha(`${t.login}-gc`),
        committed_at: '2026-03-01T10:00:00Z',
        artifacts: [used],
      });
      await db.query(
        `update idse.sync_blobs set created_at = now() - interval '2 days' where repository_id = $1 and blob_sha <> $2`,
        [repository_id, fresh],
      );
      expect(await store.syncCollectBlobs({ client_id: client, repository_id })).toBe(1);
      const left = await db.query<{ blob_sha: string }>(
        'select blob_sha from idse.sync_blobs where repository_id = $1 order by blob_sha',
        [repository_id],
      );
      expect(left.rows.map((r) => r.blob_sha)).toEqual([used.blob_sha, fresh].sort());
      const stranger = await syncClient(store);
      expect(await store.syncCollectBlobs({ client_id: stranger.client, repository_id })).toBe(0);
    });

    it('records a pushed commit once, then what the next commit changed and removed', async () => {
      const { store, db } = get();
      const { t, client } = await syncClient(store);
      const intent = await artifact({
        path: 'projects/web/sessions/s1/intents/intent.md',
        content: 'intent v1',
        project: 'web',
        session: 's1',
        diagnostics: [{ code: 'IDSE010', severity: 'error' }],
      });
      const spec = await artifact({
        path: 'projects/web/sessions/s1/specs/spec.md',
        kind: 'spec',
        content: 'spec v1',
        project: 'web',
        session: 's1',
      });
      const prepare = async (commit: string, blobs: Array<{ blob_sha: string; content: string }>) => {
        const result = await store.syncPrepare({
          request_id: crypto.randomUUID(),
          client_id: client,
          project: 'web',
          ref: 'refs/heads/main',
          commit_sha: commitSha(commit),
          blob_shas: blobs.map((b) => b.blob_sha),
          blobs,
        });
        if (result.replayed) throw new Error('unexpected replay');
        return result;
      };
      const { repository_id } = await prepare(`${t.login}-c1`, [
        { blob_sha: intent.blob_sha, content: 'intent v1' },
        { blob_sha: spec.blob_sha, content: 'spec v1' },
      ]);
      const push = (commit: string, at: string, artifacts: SyncPushInput['artifacts']): SyncPushInput => ({
        client_id: client,
        repository_id,
        ref: 'refs/heads/main',
        commit_sha: commitSha(commit),
        committed_at: at,
        artifacts,
        sessions: [session('web', 's1', { errors: 1 })],
      });
      const first = await store.recordSyncPush(push(`${t.login}-c1`, '2026-03-01T10:00:00Z', [intent, spec]));
      expect(first).toEqual({
        duplicate: false,
        sync_event_id: expect.any(Number),
        client_id: client,
        repository_id,
        accepted: [intent.path, spec.path],
        unchanged: 0,
        removed: [],
        current_changed: 2,
        sessions: 1,
      });
      const event = await db.query(
        'select kind, delivery_id, commit_sha from idse.sync_events where id = $1',
        [first.sync_event_id],
      );
      expect(event.rows).toEqual([
        {
          kind: 'sync_push',
          delivery_id: `sync:${repository_id}:refs/heads/main:${commitSha(`${t.login}-c1`)}`,
          commit_sha: commitSha(`${t.login}-c1`),
        },
      ]);
      expect((await prepare(`${t.login}-c1`, [])).recorded).toBe(true);

      const before = await counts(db, client);
      const again = await store.recordSyncPush(push(`${t.login}-c1`, '2026-03-01T10:00:00Z', [intent, spec]));
      expect(again).toMatchObject({ duplicate: true, sync_event_id: first.sync_event_id, accepted: [] });
      expect(await counts(db, client)).toEqual(before);

      const intent2 = await artifact({ ...intentSpec(intent.path), content: 'intent v2' });
      await prepare(`${t.login}-c2`, [{ blob_sha: intent2.blob_sha, content: 'intent v2' }]);
      const second = await store.recordSyncPush(push(`${t.login}-c2`, '2026-03-02T10:00:00Z', [intent2]));
      expect(second).toMatchObject({
        duplicate: false,
        accepted: [intent.path],
        unchanged: 0,
        removed: [spec.path],
      });
      const current = await db.query(
        `select path, blob_sha from idse.artifact_refs where repository_id = $1 order by path`,
        [repository_id],
      );
      expect(current.rows).toEqual([
        { path: intent.path, blob_sha: intent2.blob_sha },
        { path: spec.path, blob_sha: null },
      ]);
      const summary = await store.clientSummary(client);
      expect(summary.sessions).toMatchObject([
        { repository_id, repository: `${t.login}/web`, project: 'web', session: 's1', runs: 2 },
      ]);
    });

    it('orders commits of the same second by ancestry when the push names the ancestors', async () => {
      const { store, db } = get();
      const at = '2026-03-01T10:00:00Z';
      // Of two commits made in the same second, the newer has the smaller SHA: the SHA tie-break
      // alone would keep the older one current.
      const { t } = await syncClient(store);
      const [newer, older] = [commitSha(`${t.login}-x`), commitSha(`${t.login}-y`)].sort();
      const current = async (ancestors: string[] | undefined) => {
        const { client } = await syncClient(store);
        const doc = (content: string) => artifact({ path: 'projects/web/notes.md', content, project: 'web' });
        const [first, second] = await Promise.all([doc('older'), doc('newer')]);
        const prepared = await store.syncPrepare({
          request_id: crypto.randomUUID(),
          client_id: client,
          project: 'web',
          ref: 'refs/heads/main',
          commit_sha: older!,
          blob_shas: [],
          blobs: [
            { blob_sha: first.blob_sha, content: 'older' },
            { blob_sha: second.blob_sha, content: 'newer' },
          ],
        });
        if (prepared.replayed) throw new Error('unexpected replay');
        const push = {
          client_id: client,
          repository_id: prepared.repository_id,
          ref: 'refs/heads/main',
          committed_at: at,
        };
        await store.recordSyncPush({ ...push, commit_sha: older!, artifacts: [first] });
        await store.recordSyncPush({
          ...push,
          commit_sha: newer!,
          artifacts: [second],
          ...(ancestors ? { ancestors } : {}),
        });
        const { rows } = await db.query<{ commit_sha: string }>(
          'select commit_sha from idse.artifact_refs where repository_id = $1',
          [prepared.repository_id],
        );
        return rows.map((r) => r.commit_sha);
      };
      expect(await current(undefined)).toEqual([older]);
      expect(await current([older!, commitSha('grandparent')])).toEqual([newer]);
    });

    it('refuses a commit whose content was never uploaded, or another client’s workspace, writing nothing', async () => {
      const { store, db } = get();
      const { t, client } = await syncClient(store);
      const doc = await artifact({ path: 'projects/web/x.md', content: 'never sent', project: 'web' });
      const prepared = await store.syncPrepare({
        request_id: crypto.randomUUID(),
        client_id: client,
        project: 'web',
        ref: 'refs/heads/main',
        commit_sha: commitSha(`${t.login}-c1`),
        blob_shas: [doc.blob_sha],
      });
      if (prepared.replayed) throw new Error('unexpected replay');
      const payload: SyncPushInput = {
        client_id: client,
        repository_id: prepared.repository_id,
        ref: 'refs/heads/main',
        commit_sha: commitSha(`${t.login}-c1`),
        committed_at: '2026-03-01T10:00:00Z',
        artifacts: [doc],
      };
      const before = await counts(db, client);
      const missing = await storeError(store.recordSyncPush(payload));
      expect(missing.code).toBe('store-conflict');
      expect(missing.message).toBe('record sync push: the content of projects/web/x.md was never uploaded');
      const stranger = await syncClient(store);
      const foreign = await storeError(store.recordSyncPush({ ...payload, client_id: stranger.client }));
      expect(foreign.code).toBe('store-conflict');
      expect(await counts(db, client)).toEqual(before);
      const unsafe = await storeError(
        store.recordSyncPush({ ...payload, artifacts: [{ ...doc, path: '../etc/passwd' }] }),
      );
      expect(unsafe.code).toBe('invalid-payload');
    });

    it('publishes docs per client and project and pulls them after a cursor, page by page', async () => {
      const { store } = get();
      const { client } = await syncClient(store);
      const other = await syncClient(store);
      const constitution = await store.publishDoc({
        client_id: client,
        path: 'docs/constitution.md',
        kind: 'constitution',
        content: '# Constitution v1',
      });
      expect(constitution).toEqual({
        id: expect.any(Number),
        duplicate: false,
        published_at: expect.any(String),
      });
      const again = await store.publishDoc({
        client_id: client,
        path: 'docs/constitution.md',
        kind: 'constitution',
        content: '# Constitution v1',
      });
      expect(again).toEqual({ ...constitution, duplicate: true });
      const feedback = await store.publishDoc({
        client_id: client,
        project: 'web',
        path: 'projects/web/sessions/s1/feedback/review.md',
        kind: 'feedback',
        content: '# Review',
      });
      await store.publishDoc({
        client_id: client,
        project: 'api',
        path: 'projects/api/x.md',
        kind: 'doc',
        content: 'x',
      });
      await store.publishDoc({
        client_id: other.client,
        path: 'docs/constitution.md',
        kind: 'constitution',
        content: 'o',
      });

      const all = await store.pullPublished({ client_id: client, project: 'web' });
      expect(all).toEqual({
        docs: [
          {
            id: constitution.id,
            project: null,
            path: 'docs/constitution.md',
            kind: 'constitution',
            content: '# Constitution v1',
            blob_sha: sha('# Constitution v1'),
            published_at: constitution.published_at,
          },
          {
            id: feedback.id,
            project: 'web',
            path: 'projects/web/sessions/s1/feedback/review.md',
            kind: 'feedback',
            content: '# Review',
            blob_sha: sha('# Review'),
            published_at: feedback.published_at,
          },
        ],
        cursor: feedback.id,
        more: false,
      });
      const page = await store.pullPublished({ client_id: client, project: 'web', max_docs: 1 });
      expect(page).toMatchObject({ docs: [{ id: constitution.id }], cursor: constitution.id, more: true });
      const rest = await store.pullPublished({
        client_id: client,
        project: 'web',
        since: page.cursor,
        max_docs: 1,
      });
      expect(rest).toMatchObject({ docs: [{ id: feedback.id }], cursor: feedback.id, more: false });
      expect(await store.pullPublished({ client_id: client, project: 'web', since: rest.cursor })).toEqual({
        docs: [],
        cursor: rest.cursor,
        more: false,
      });
      const v2 = await store.publishDoc({
        client_id: client,
        path: 'docs/constitution.md',
        kind: 'constitution',
        content: '# Constitution v2',
      });
      expect(
        await store.pullPublished({ client_id: client, project: 'web', since: rest.cursor }),
      ).toMatchObject({
        docs: [{ id: v2.id, content: '# Constitution v2' }],
        cursor: v2.id,
      });
      for (const path of ['../x.md', '/etc/x', 'a\\b.md', 'a/\u0000.md', '.git/config']) {
        const error = await storeError(
          store.publishDoc({ client_id: client, path, kind: 'doc', content: 'x' }),
        );
        expect({ path, code: error.code }).toEqual({ path, code: 'invalid-payload' });
      }
    });
  });
}

/** The fields of an artifact fixture for `path` in project web, session s1. */
const intentSpec = (path: string) => ({ path, project: 'web', session: 's1' });
