/**
 * Bad input and faults at the gateway, over real HTTP: each bad request gets a 4xx with its code and
 * writes nothing (row counts of both tenants compared before and after), and a push cut off by the
 * network ends, once retried, in the same database state as one clean push.
 */
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../src/auth/keys.ts';
import { TokenIssuer } from '../../../src/auth/tokens.ts';
import { gitBlobId } from '../../../src/model/blob-id.ts';
import { SYNC_AUDIENCE } from '../../../src/sync/protocol.ts';
import type { TestRepo } from '../app/repo.ts';
import { initWorkspace, type SyncHarness, startSyncHarness, syncCli } from './harness.ts';
import { type CutMode, cuttingProxy } from './proxy.ts';

const MAX_PUSH_BYTES = 256 * 1024;
const DOC = 'projects/web/sessions/s1/intents/intent.md';

interface Answer {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

let h: SyncHarness;
let a: { client_id: string; key: string; token: string };
let b: { client_id: string; key: string; token: string };

async function call(method: string, path: string, options: { body?: string | Buffer; token?: string } = {}) {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} } as Answer;
}

const json = (value: unknown) => JSON.stringify(value);

async function login(key: string, project?: string): Promise<string> {
  const answer = await call('POST', '/mcp/auth/token', {
    body: json({ key, ...(project ? { project } : {}) }),
  });
  expect(answer.status).toBe(200);
  return answer.body.token as string;
}

/** A push of one doc (content included) for `who`, valid unless `change` breaks it. */
function push(who: { client_id: string }, files?: Array<Record<string, unknown>>) {
  const content = '# Intent\n\n## Goal\n\nShip it.\n';
  return {
    request_id: crypto.randomUUID(),
    client_id: who.client_id,
    project: 'web',
    ref: 'refs/heads/main',
    commit_sha: 'a'.repeat(40),
    committed_at: '2026-11-20T10:00:00Z',
    files: files ?? [{ path: DOC, blob_sha: gitBlobId(new TextEncoder().encode(content)), content }],
  };
}

/** A pushed file with its content and the blob SHA it hashes to. */
const file = (path: string, content: string) => ({
  path,
  blob_sha: gitBlobId(new TextEncoder().encode(content)),
  content,
});

/** Both tenants' rows, to show a refused request wrote nothing. */
const snapshot = async () => ({ a: await h.rows(a.client_id), b: await h.rows(b.client_id) });

beforeAll(async () => {
  h = await startSyncHarness('pglite', { maxPushBytes: MAX_PUSH_BYTES });
  const ca = await h.client('tenant-a', 'web');
  const cb = await h.client('tenant-b');
  a = { ...ca, token: await login(ca.key) };
  b = { ...cb, token: await login(cb.key, 'web') };
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('the token exchange', () => {
  it('refuses unknown, revoked and admin keys, and keys asked for another project', async () => {
    const before = await snapshot();
    const admin = generateApiKey('admin');
    await h.store.createApiKey({
      client_id: a.client_id,
      scope: 'admin',
      key_prefix: admin.prefix,
      key_hash: admin.hash,
    });
    const revoked = await h.client('tenant-revoked', 'web');
    const [record] = await h.store.listApiKeys((await h.store.findClient('tenant-revoked'))!.client_id);
    await h.store.revokeApiKey(record!.id);
    const cases: Array<[unknown, number, string]> = [
      [{ key: generateApiKey('sync').key }, 401, 'key-invalid'],
      [{ key: 'not-a-key' }, 401, 'key-invalid'],
      [{ key: admin.key }, 401, 'key-invalid'],
      [{ key: revoked.key }, 401, 'key-invalid'],
      [{ key: a.key, project: 'api' }, 403, 'forbidden'],
      [{ key: b.key }, 400, 'project-required'],
      [{ key: a.key, extra: 1 }, 400, 'invalid-request'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await call('POST', '/mcp/auth/token', { body: json(body) });
      expect({ body, status: answer.status, code: answer.body.error?.code }).toEqual({ body, status, code });
    }
    expect((await call('POST', '/mcp/auth/token', { body: '{"key":' })).body.error?.code).toBe(
      'invalid-json',
    );
    expect((await snapshot()).a).toEqual({ ...before.a, api_keys: before.a.api_keys! + 1 });
    expect((await snapshot()).b).toEqual(before.b);
  });
});

describe('push and pull requests', () => {
  it('refuse missing, forged, expired, foreign and other-tenant tokens, writing nothing', async () => {
    const before = await snapshot();
    const now = Math.floor(Date.now() / 1000);
    const claims = { client_id: a.client_id, project: 'web', scope: 'sync' as const, key_id: 1 };
    const expired = await h.tokens.issue(claims, {
      audience: SYNC_AUDIENCE,
      ttlSeconds: 60,
      now: new Date((now - 3600) * 1000),
    });
    const otherAudience = await h.tokens.issue(claims, { audience: 'idse-dashboard', ttlSeconds: 60 });
    const forged = await TokenIssuer.fromSecret('x'.repeat(40)).issue(claims, {
      audience: SYNC_AUDIENCE,
      ttlSeconds: 60,
    });
    const cases: Array<[string | undefined, unknown, number, string]> = [
      [undefined, push(a), 401, 'token-invalid'],
      ['not.a.token', push(a), 401, 'token-invalid'],
      [expired.token, push(a), 401, 'token-expired'],
      [otherAudience.token, push(a), 401, 'token-invalid'],
      [forged.token, push(a), 401, 'token-invalid'],
      // Tenant B's valid token, naming tenant A's workspace, or another project of B.
      [b.token, push(a), 403, 'forbidden'],
      [b.token, { ...push(b), project: 'api' }, 403, 'forbidden'],
    ];
    for (const [token, body, status, code] of cases) {
      const answer = await call('POST', '/mcp/sync/push', { body: json(body), ...(token ? { token } : {}) });
      expect({ token, status: answer.status, code: answer.body.error?.code }).toEqual({
        token,
        status,
        code,
      });
    }
    const pulls: Array<[string, string, number, string]> = [
      [b.token, `client_id=${a.client_id}&project=web`, 403, 'forbidden'],
      [expired.token, `client_id=${a.client_id}&project=web`, 401, 'token-expired'],
      [a.token, `client_id=${a.client_id}&project=web&since=-1`, 400, 'invalid-request'],
      [a.token, `client_id=${a.client_id}&project=web&what=1`, 400, 'invalid-request'],
    ];
    for (const [token, query, status, code] of pulls) {
      const answer = await call('GET', `/mcp/sync/pull?${query}`, { token });
      expect({ query, status: answer.status, code: answer.body.error?.code }).toEqual({
        query,
        status,
        code,
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('stop taking a token as soon as its key is revoked, before it expires', async () => {
    const c = await h.client('tenant-revoked-later', 'web');
    const token = await login(c.key);
    const query = `client_id=${c.client_id}&project=web`;
    expect((await call('GET', `/mcp/sync/pull?${query}`, { token })).status).toBe(200);
    const [record] = await h.store.listApiKeys(c.client_id);
    expect(await h.store.revokeApiKey(record!.id)).toBe(true);
    const pulled = await call('GET', `/mcp/sync/pull?${query}`, { token });
    expect({ status: pulled.status, code: pulled.body.error?.code }).toEqual({
      status: 401,
      code: 'key-invalid',
    });
    const pushed = await call('POST', '/mcp/sync/push', { body: json(push(c)), token });
    expect({ status: pushed.status, code: pushed.body.error?.code }).toEqual({
      status: 401,
      code: 'key-invalid',
    });
    expect(await h.rows(c.client_id)).toMatchObject({ artifacts: 0 });
  });

  it('refuse paths that could leave the workspace, bad bodies and contents that are not their blob, writing nothing', async () => {
    const before = await snapshot();
    const doc = (path: string) => [{ path, blob_sha: gitBlobId(new Uint8Array()), content: '' }];
    const unsafe = [
      '../outside.md',
      'projects/web/../../etc/passwd',
      '/etc/passwd',
      'C:/Windows/x.md',
      'projects\\web\\x.md',
      'projects/web/\u0000.md',
      'projects//web/x.md',
      'projects/web/.git/config',
      '.GIT/hooks/post-checkout',
    ];
    for (const path of unsafe) {
      const answer = await call('POST', '/mcp/sync/push', { body: json(push(a, doc(path))), token: a.token });
      expect({ path, status: answer.status, code: answer.body.error?.code }).toEqual({
        path,
        status: 400,
        code: 'unsafe-path',
      });
    }
    const invalidUtf8 = Buffer.concat([
      Buffer.from(json(push(a)).slice(0, -2)),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(']}'),
    ]);
    const bodies: Array<[string | Buffer, number, string]> = [
      [invalidUtf8, 400, 'invalid-utf8'],
      ['{"request_id":', 400, 'invalid-json'],
      [json({ ...push(a), files: 'all' }), 400, 'invalid-request'],
      [
        json(push(a, [{ path: DOC, blob_sha: 'b'.repeat(40), content: 'not that blob' }])),
        422,
        'blob-mismatch',
      ],
      [
        json(
          push(a, [
            { path: DOC, blob_sha: gitBlobId(new TextEncoder().encode('a\u0000b')), content: 'a\u0000b' },
          ]),
        ),
        400,
        'invalid-request',
      ],
      [json(push(a, [...doc(DOC), ...doc(DOC)])), 400, 'invalid-request'],
      [json({ ...push(a), committed_at: 'yesterday' }), 400, 'invalid-request'],
    ];
    for (const [body, status, code] of bodies) {
      const answer = await call('POST', '/mcp/sync/push', { body, token: a.token });
      expect({ status: answer.status, code: answer.body.error?.code }).toEqual({ status, code });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuse text that is not valid Unicode (a lone surrogate in a folder name) with their own code, writing nothing', async () => {
    const before = await snapshot();
    const body = json(
      push(a, [
        {
          path: 'projects/web/sessions/x/intents/intent.md',
          blob_sha: gitBlobId(new Uint8Array()),
          content: '',
        },
      ]),
    ).replace('sessions/x/', 'sessions/\\ud800/');
    const answer = await call('POST', '/mcp/sync/push', { body, token: a.token });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toEqual({
      code: 'invalid-unicode',
      message: 'the request body has text that is not valid Unicode (an unpaired surrogate escape)',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('refuse a commit whose config is invalid or an alias bomb, writing nothing, also when the config came in an earlier request', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of [...'bcdefghijk'].entries())
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefghijk'[i]}`).join(', ')}]`);
    let before = await snapshot();
    for (const config of ['rules:\n  IDSE010: loud\n', `${bomb.join('\n')}\n`]) {
      const answer = await call('POST', '/mcp/sync/push', {
        body: json(push(a, [...push(a).files, file('idse.config.yml', config)])),
        token: a.token,
      });
      expect({ status: answer.status, code: answer.body.error?.code }).toEqual({
        status: 422,
        code: 'config-invalid',
      });
      expect(await snapshot()).toEqual(before);
    }
    // The config's content accepted in an upload step, the commit completed by a second request.
    const config = file('idse.config.yml', 'rules:\n  IDSE010: loud\n');
    const doc = push(a).files[0]!;
    const commit = { ...push(a), commit_sha: 'c'.repeat(40) };
    const listed = [config, { path: doc.path, blob_sha: doc.blob_sha }];
    const upload = await call('POST', '/mcp/sync/push', {
      body: json({ ...commit, files: listed }),
      token: a.token,
    });
    expect(upload.body.status).toBe('incomplete');
    before = await snapshot();
    const complete = await call('POST', '/mcp/sync/push', {
      body: json({
        ...commit,
        request_id: crypto.randomUUID(),
        files: [{ path: config.path, blob_sha: config.blob_sha }, doc],
      }),
      token: a.token,
    });
    expect({ status: complete.status, code: complete.body.error?.code }).toEqual({
      status: 422,
      code: 'config-invalid',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('record a commit with docs that would stall the parser, each reported too complex', async () => {
    const answer = await call('POST', '/mcp/sync/push', {
      body: json({
        ...push(a),
        ref: 'refs/heads/stall',
        commit_sha: 'd'.repeat(40),
        files: [
          ...push(a).files,
          file('projects/web/sessions/s1/specs/spec.md', `# S\n\n${'a\n=\n'.repeat(4000)}`),
          file('projects/web/sessions/s1/plans/plan.md', `${'>'.repeat(10_000)} a\n`),
        ],
      }),
      token: a.token,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'recorded', errors: 2 });
  });

  it('refuse a commit whose config file is invalid, saying where', async () => {
    const config = 'rules:\n  IDSE010: loud\n';
    const answer = await call('POST', '/mcp/sync/push', {
      body: json(
        push(a, [
          ...push(a).files,
          { path: 'idse.config.yml', blob_sha: gitBlobId(new TextEncoder().encode(config)), content: config },
        ]),
      ),
      token: a.token,
    });
    expect(answer).toEqual({
      status: 422,
      body: {
        error: {
          code: 'config-invalid',
          message: expect.stringMatching(
            /^the workspace config is invalid: idse\.config\.yml:2: .*\[config-invalid\]$/,
          ),
        },
      },
    });
  });

  it('refuse a body over the limit, whether its length is declared or streamed', async () => {
    const before = await snapshot();
    const big = 'x'.repeat(MAX_PUSH_BYTES);
    const body = json(
      push(a, [{ path: DOC, blob_sha: gitBlobId(new TextEncoder().encode(big)), content: big }]),
    );
    const declared = await call('POST', '/mcp/sync/push', { body, token: a.token });
    expect([declared.status, declared.body.error?.code]).toEqual([413, 'payload-too-large']);
    const streamed = await new Promise<Answer>((resolve, reject) => {
      const url = new URL(`${h.url}/mcp/sync/push`);
      const req = request(
        url,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      // No content-length: chunked, so the gateway only learns the size while reading.
      for (let i = 0; i < body.length; i += 16_384) req.write(body.slice(i, i + 16_384));
      req.end();
    });
    expect([streamed.status, streamed.body.error?.code]).toEqual([413, 'payload-too-large']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuse a replayed request, which writes nothing a second time', async () => {
    const body = json(push(a));
    const first = await call('POST', '/mcp/sync/push', { body, token: a.token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'recorded', accepted: [DOC] });
    const before = await snapshot();
    const replay = await call('POST', '/mcp/sync/push', { body, token: a.token });
    expect([replay.status, replay.body.error?.code]).toEqual([409, 'request-replayed']);
    expect(await snapshot()).toEqual(before);
    // A retry is a new request: harmless, the commit is already recorded.
    const retry = await call('POST', '/mcp/sync/push', {
      body: json({ ...push(a), request_id: crypto.randomUUID() }),
      token: a.token,
    });
    expect(retry.body).toMatchObject({ status: 'duplicate', unchanged: 1 });
  });

  it('answer unknown routes 404 and wrong methods 405', async () => {
    expect((await call('GET', '/mcp/sync/push')).status).toBe(405);
    expect((await call('POST', '/mcp/sync/pull', { body: '{}' })).status).toBe(405);
    const missing = await call('GET', '/mcp/sync/nothing');
    expect([missing.status, missing.body.error?.code]).toEqual([404, 'not-found']);
  });
});

describe('an App without a store', () => {
  it('answers every gateway route 503 store-not-configured', async () => {
    const bare = await startSyncHarness('pglite', { store: 'none' });
    try {
      for (const [method, path] of [
        ['POST', '/mcp/auth/token'],
        ['POST', '/mcp/sync/push'],
        ['GET', '/mcp/sync/pull'],
      ] as const) {
        const response = await fetch(`${bare.url}${path}`, {
          method,
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        expect({ path, status: response.status, body: await response.json() }).toEqual({
          path,
          status: 503,
          body: { error: { code: 'store-not-configured', message: expect.any(String) } },
        });
      }
    } finally {
      await bare.close();
    }
  });
});

describe('a push the network cuts off', () => {
  const repos: TestRepo[] = [];
  afterEach(() => {
    for (const repo of repos.splice(0)) repo.remove();
  });

  /** What a client's sync left in the store, without ids, times and request ids. */
  async function stored(clientId: string) {
    const q = async (sql: string) => (await h.db.query(sql, [clientId])).rows;
    return {
      repositories: await q(`select source, sync_project from idse.repositories where client_id = $1`),
      events: await q(
        `select kind, ref, commit_sha, stats from idse.sync_events where client_id = $1 order by commit_sha`,
      ),
      blobs: await q(`select blob_sha, content from idse.sync_blobs where client_id = $1 order by blob_sha`),
      artifacts: await q(
        `select path, blob_sha, kind, jsonb_array_length(diagnostics) as findings, commit_sha
         from idse.artifacts where client_id = $1 order by path, blob_sha`,
      ),
      refs: await q(
        `select ref, path, blob_sha, commit_sha from idse.artifact_refs where client_id = $1 order by ref, path`,
      ),
      sessions: await q(
        `select name, runs, passed_runs from idse.sessions where client_id = $1 order by name`,
      ),
      states: await q(
        `select ref, commit_sha, stage, errors, warnings from idse.session_states where client_id = $1 order by ref`,
      ),
      analytics: await q(
        `select ref, errors, warnings, rules from idse.analytics where client_id = $1 order by ref`,
      ),
    };
  }

  it.each<CutMode>(['after-response', 'mid-request'])(
    'is retried to the same state as one clean push (%s)',
    async (mode) => {
      const repo = await initWorkspace('web');
      repos.push(repo);
      const cut = await h.client(`cut-${mode}`, 'web');
      const clean = await h.client(`clean-${mode}`, 'web');
      const proxy = await cuttingProxy(h.url, mode);
      try {
        const broken = await syncCli({ ...h, url: proxy.url }, repo, cut.key)('sync', 'push');
        expect(proxy.cut()).toBe(true);
        expect(broken.code).toBe(2);
        expect(broken.stderr).toMatch(
          /^idse: could not reach Agency Core at http:\/\/127\.0\.0\.1:\d+ \(.+\); nothing is lost, run the command again \[agency-unreachable\]\n$/,
        );
      } finally {
        await proxy.close();
      }
      const recordedBeforeRetry = (await h.rows(cut.client_id)).sync_events;
      expect(recordedBeforeRetry).toBe(mode === 'after-response' ? 1 : 0);

      const retried = await syncCli(h, repo, cut.key)('sync', 'push', '--json');
      expect(retried.code).toBe(0);
      expect(JSON.parse(retried.stdout).status).toBe(mode === 'after-response' ? 'duplicate' : 'recorded');
      const once = await syncCli(h, repo, clean.key)('sync', 'push', '--json');
      expect(JSON.parse(once.stdout).status).toBe('recorded');
      expect(await stored(cut.client_id)).toEqual(await stored(clean.client_id));
      expect((await stored(cut.client_id)).artifacts.length).toBeGreaterThan(5);
    },
  );
});
