/**
 * The core push/pull path, run against each store backend (pglite.test.ts, postgres.test.ts): the
 * real CLI pushing a real repository and pulling published docs over HTTP, then what the database and
 * the working tree hold.
 */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gitBlobId } from '../../../src/model/blob-id.ts';
import type { TestRepo } from '../app/repo.ts';
import { type Backend, initWorkspace, type SyncHarness, startSyncHarness, syncCli } from './harness.ts';

const SESSION = 'projects/web/sessions/kickoff';

/** `git ls-tree` of HEAD: path → blob SHA, for the files a push of project web sends. */
function committed(repo: TestRepo): Map<string, string> {
  const lines = repo.git('ls-tree', '-r', 'HEAD').split('\n');
  return new Map(
    lines
      .map((line) => {
        const [meta = '', path = ''] = line.split('\t');
        return [path, meta.split(' ')[2]!] as [string, string];
      })
      .filter(([path]) => path.startsWith('projects/web/') || path === 'idse.config.yml'),
  );
}

export function describeSyncFlow(backend: Backend): void {
  describe(`idse sync over HTTP, ${backend} store`, () => {
    let h: SyncHarness;
    const repos: TestRepo[] = [];
    beforeAll(async () => {
      h = await startSyncHarness(backend);
    }, 60_000);
    afterAll(async () => {
      await h?.close();
    });
    afterEach(() => {
      for (const repo of repos.splice(0)) repo.remove();
    });
    const workspace = async () => {
      const repo = await initWorkspace('web');
      repos.push(repo);
      return repo;
    };

    it('pushes the docs committed at HEAD, then nothing when nothing changed, then only what a commit changed', async () => {
      const { client_id, key } = await h.client(`acme-${backend}`, 'web');
      const repo = await workspace();
      const run = syncCli(h, repo, key);
      // Not committed: a push sends HEAD's version, never this one.
      writeFileSync(join(repo.dir, SESSION, 'intents/intent.md'), '# edited, not committed\n');
      const atHead = committed(repo);

      const first = await run('sync', 'push', '--json');
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      const pushed = JSON.parse(first.stdout);
      expect(pushed).toMatchObject({
        schema: 'idse.sync-push/v1',
        project: 'web',
        commit_sha: repo.head(),
        ref: 'refs/heads/main',
        status: 'recorded',
        unchanged: 0,
        removed: [],
        rejected: [],
        // token, the list of blobs, their content
        requests: 3,
      });
      expect(pushed.accepted).toEqual([...atHead.keys()].sort());
      expect(pushed.findings.errors).toBeGreaterThan(0); // the templates' [REQUIRES INPUT] markers
      expect(pushed.content_bytes).toBeGreaterThan(1000);

      const repository = await h.db.query<{ id: string; full_name: string; source: string }>(
        'select id::text, full_name, source, sync_project from idse.repositories where client_id = $1',
        [client_id],
      );
      expect(repository.rows).toEqual([
        {
          id: expect.stringMatching(/^-\d+$/),
          full_name: `acme-${backend}/web`,
          source: 'sync',
          sync_project: 'web',
        },
      ]);
      const current = await h.db.query<{ path: string; blob_sha: string }>(
        `select path, blob_sha from idse.current_artifacts where client_id = $1 and ref = 'refs/heads/main' order by path`,
        [client_id],
      );
      expect(new Map(current.rows.map((r) => [r.path, r.blob_sha]))).toEqual(atHead);
      // The agency holds each file's text exactly: it hashes back to git's blob SHA.
      const blobs = await h.db.query<{ path: string; content: string }>(
        `select c.path, b.content from idse.current_artifacts c
         join idse.sync_blobs b on b.repository_id = c.repository_id and b.blob_sha = c.blob_sha
         where c.client_id = $1`,
        [client_id],
      );
      expect(
        new Map(blobs.rows.map((b) => [b.path, gitBlobId(new TextEncoder().encode(b.content))])),
      ).toEqual(atHead);
      const events = await h.db.query(
        'select kind, ref, commit_sha from idse.sync_events where client_id = $1',
        [client_id],
      );
      expect(events.rows).toEqual([{ kind: 'sync_push', ref: 'refs/heads/main', commit_sha: repo.head() }]);
      const sessions = await h.db.query(
        `select s.name, st.stage, st.errors > 0 as failing from idse.sessions s
         join idse.session_states st on st.session_id = s.id where s.client_id = $1 order by s.name`,
        [client_id],
      );
      // `idse init` made the project's blueprint (clean: it has only metadata) and kickoff.
      expect(sessions.rows).toEqual([
        { name: '__blueprint__', stage: null, failing: false },
        { name: 'kickoff', stage: null, failing: true },
      ]);

      const rows = await h.rows(client_id);
      const again = await run('sync', 'push', '--json');
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({
        status: 'duplicate',
        unchanged: atHead.size,
        accepted: [],
        content_bytes: 0,
        requests: 2,
      });
      // A commit already recorded is answered from a lookup: nothing is written, not even a request id.
      expect(await h.rows(client_id)).toEqual(rows);

      const spec = '# Spec\n\n## Overview\n\nChanged on a branch of thought.\n';
      // Committed by name: the intent's edit stays uncommitted.
      writeFileSync(join(repo.dir, SESSION, 'specs/spec.md'), spec);
      repo.git('add', `${SESSION}/specs/spec.md`);
      repo.git('rm', '-q', `${SESSION}/plans/test-plan.md`);
      repo.git('commit', '-q', '-m', 'spec, no test plan');
      const status = await run('sync', 'status', '--json');
      expect(JSON.parse(status.stdout).projects).toEqual([
        expect.objectContaining({
          project: 'web',
          head_pushed: false,
          pending: {
            added: [],
            changed: [`${SESSION}/specs/spec.md`],
            removed: [`${SESSION}/plans/test-plan.md`],
          },
          uncommitted: [`${SESSION}/intents/intent.md`],
        }),
      ]);
      const third = await run('sync', 'push', '--json');
      expect(third.code).toBe(0);
      expect(JSON.parse(third.stdout)).toMatchObject({
        status: 'recorded',
        accepted: [`${SESSION}/specs/spec.md`],
        unchanged: atHead.size - 2,
        removed: [`${SESSION}/plans/test-plan.md`],
        content_bytes: Buffer.byteLength(spec),
      });
      const refs = await h.db.query(
        `select path, blob_sha from idse.artifact_refs where client_id = $1 and path = any($2) order by path`,
        [client_id, [`${SESSION}/plans/test-plan.md`, `${SESSION}/specs/spec.md`]],
      );
      expect(refs.rows).toEqual([
        { path: `${SESSION}/plans/test-plan.md`, blob_sha: null },
        { path: `${SESSION}/specs/spec.md`, blob_sha: committed(repo).get(`${SESSION}/specs/spec.md`) },
      ]);
      const after = JSON.parse((await run('sync', 'status', '--json')).stdout).projects[0];
      expect(after).toMatchObject({ head_pushed: true, pending: { added: [], changed: [], removed: [] } });

      const pretty = await run('sync', 'push');
      expect(pretty.stdout).toBe(
        `idse sync push: web@${repo.head().slice(0, 7)} (refs/heads/main) was already pushed; nothing sent (${atHead.size - 1} files unchanged)\n`,
      );
    });

    it('pulls published docs into the working tree, and keeps local edits with the incoming version beside them', async () => {
      const { client_id, key } = await h.client(`globex-${backend}`, 'web');
      const repo = await workspace();
      const run = syncCli(h, repo, key);
      const rules = 'docs/agency/rules.md';
      const review = `${SESSION}/feedback/review.md`;
      const spec = `${SESSION}/specs/spec.md`;
      await h.store.publishDoc({ client_id, path: rules, kind: 'constitution', content: '# Rules v1\n' });
      await h.store.publishDoc({
        client_id,
        project: 'web',
        path: review,
        kind: 'feedback',
        content: '# Review v1\n',
      });
      // For another project of the client: never reaches this workspace.
      await h.store.publishDoc({
        client_id,
        project: 'api',
        path: 'projects/api/x.md',
        kind: 'doc',
        content: 'x',
      });
      const rows = await h.rows(client_id);

      const first = await run('sync', 'pull', '--json');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({
        schema: 'idse.sync-pull/v1',
        project: 'web',
        docs: [
          { path: rules, kind: 'constitution', action: 'added' },
          { path: review, kind: 'feedback', action: 'added' },
        ],
      });
      expect(readFileSync(join(repo.dir, rules), 'utf8')).toBe('# Rules v1\n');
      expect(readFileSync(join(repo.dir, review), 'utf8')).toBe('# Review v1\n');
      expect(existsSync(join(repo.dir, 'projects/api'))).toBe(false);

      writeFileSync(join(repo.dir, rules), '# Rules v1, with our own note\n');
      await h.store.publishDoc({ client_id, path: rules, kind: 'constitution', content: '# Rules v2\n' });
      await h.store.publishDoc({
        client_id,
        project: 'web',
        path: review,
        kind: 'feedback',
        content: '# Review v2\n',
      });
      await h.store.publishDoc({
        client_id,
        project: 'web',
        path: spec,
        kind: 'doc',
        content: '# Spec from the agency\n',
      });
      const localSpec = readFileSync(join(repo.dir, spec), 'utf8');

      const second = await run('sync', 'pull');
      expect(second.code).toBe(1);
      expect(second.stdout.split('\n')).toEqual([
        expect.stringMatching(/^idse sync pull: 3 docs for web \(cursor \d+\)$/),
        `  conflict  ${rules}: changed here since the last pull; the agency's version is in ${rules}.incoming`,
        `  updated   ${review}`,
        `  conflict  ${spec}: a local file that never came from a pull; the agency's version is in ${spec}.incoming`,
        '',
      ]);
      expect(readFileSync(join(repo.dir, rules), 'utf8')).toBe('# Rules v1, with our own note\n');
      expect(readFileSync(join(repo.dir, `${rules}.incoming`), 'utf8')).toBe('# Rules v2\n');
      expect(readFileSync(join(repo.dir, review), 'utf8')).toBe('# Review v2\n');
      expect(readFileSync(join(repo.dir, spec), 'utf8')).toBe(localSpec);
      expect(readFileSync(join(repo.dir, `${spec}.incoming`), 'utf8')).toBe('# Spec from the agency\n');

      const third = await run('sync', 'pull');
      expect(third).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^idse sync pull: nothing new for web/),
      });
      const status = JSON.parse((await run('sync', 'status', '--json')).stdout).projects[0];
      expect(status.conflicts.map((c: { path: string }) => c.path)).toEqual([rules, spec]);
      expect(status.last_pull).toEqual({ at: '2026-11-25T12:00:00.000Z', cursor: expect.any(Number) });

      // Resolved by taking the agency's version: the next update applies cleanly.
      writeFileSync(join(repo.dir, rules), readFileSync(join(repo.dir, `${rules}.incoming`)));
      rmSync(join(repo.dir, `${rules}.incoming`));
      await h.store.publishDoc({ client_id, path: rules, kind: 'constitution', content: '# Rules v3\n' });
      const fourth = await run('sync', 'pull', '--json');
      expect(JSON.parse(fourth.stdout).docs).toEqual([
        { path: rules, kind: 'constitution', action: 'updated' },
      ]);
      expect(readFileSync(join(repo.dir, rules), 'utf8')).toBe('# Rules v3\n');
      // A folder on the way that links outside the workspace: nothing is written through it.
      const outside = mkdtempSync(join(tmpdir(), 'idse-outside-'));
      symlinkSync(outside, join(repo.dir, 'docs/escape'));
      await h.store.publishDoc({ client_id, path: 'docs/escape/x.md', kind: 'doc', content: 'x' });
      const fifth = await run('sync', 'pull', '--json');
      expect(fifth.code).toBe(1);
      expect(JSON.parse(fifth.stdout).docs).toEqual([
        {
          path: 'docs/escape/x.md',
          kind: 'doc',
          action: 'rejected',
          message: 'a folder on the way links outside the workspace',
        },
      ]);
      expect(readdirSync(outside)).toEqual([]);
      rmSync(outside, { recursive: true });
      // Pulling reads the store and writes nothing there.
      expect(await h.rows(client_id)).toEqual({ ...rows, published_docs: rows.published_docs! + 5 });
    });
  });
}
