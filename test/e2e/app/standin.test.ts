import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubStandin } from '../../helpers/github-standin.ts';
import { cleanSessions } from './docs.ts';
import { appKeys, standinFor, TARGET } from './harness.ts';
import { TestRepo } from './repo.ts';

/** The stand-in is what the App's tests trust: it must refuse what GitHub would refuse. */
describe('GitHub stand-in', () => {
  let repo: TestRepo;
  let github: GitHubStandin;
  let token: string;
  beforeAll(async () => {
    repo = TestRepo.create();
    repo.commit(cleanSessions('s1'));
    github = await standinFor(repo, appKeys().publicKey);
    const response = await call('POST', `/app/installations/${TARGET.installationId}/access_tokens`, {
      auth: `Bearer ${jwt(appKeys().privateKey, TARGET.appId)}`,
    });
    expect(response.status).toBe(201);
    token = ((await response.json()) as { token: string }).token;
    github.reset();
  });
  afterAll(async () => {
    await github.close();
    repo.remove();
  });

  const call = (method: string, path: string, options: { auth?: string; body?: unknown } = {}) =>
    fetch(`${github.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.auth ? { authorization: options.auth } : {}),
        ...(options.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    });
  const authed = (method: string, path: string, body?: unknown) =>
    call(method, path, { auth: `token ${token}`, ...(body ? { body } : {}) });

  it('answers a valid request and records it', async () => {
    const response = await authed('GET', `/repos/acme/docs/git/trees/${repo.head()}?recursive=1`);
    expect(response.status).toBe(200);
    expect(github.violations).toEqual([]);
    expect(github.routes()).toEqual(['GET /repos/{owner}/{repo}/git/trees/{tree_sha}']);
  });

  it('refuses endpoints, methods and query parameters GitHub does not have', async () => {
    github.reset();
    expect((await authed('GET', '/repos/acme/docs/no-such-thing')).status).toBe(404);
    expect((await authed('DELETE', `/repos/acme/docs/git/trees/${repo.head()}`)).status).toBe(404);
    expect((await authed('GET', `/repos/acme/docs/git/trees/${repo.head()}?deep=1`)).status).toBe(422);
    expect(github.violations).toEqual([
      'GET /repos/acme/docs/no-such-thing: no such path in the OpenAPI description',
      `DELETE /repos/acme/docs/git/trees/${repo.head()}: method not in the OpenAPI description`,
      expect.stringContaining('GET /repos/{owner}/{repo}/git/trees/{tree_sha}: query'),
    ]);
  });

  it('validates request bodies against the operation schema', async () => {
    github.reset();
    const annotation = {
      path: 'a.md',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
      message: 'm',
    };
    const tooMany = await authed('POST', '/repos/acme/docs/check-runs', {
      name: 'idse',
      head_sha: repo.head(),
      output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, () => annotation) },
    });
    const badConclusion = await authed('POST', '/repos/acme/docs/check-runs', {
      name: 'idse',
      head_sha: repo.head(),
      conclusion: 'mostly-fine',
    });
    const tooLong = await authed('POST', '/repos/acme/docs/check-runs', {
      name: 'idse',
      head_sha: repo.head(),
      output: { title: 't', summary: 'x'.repeat(65_536) },
    });
    expect([tooMany.status, badConclusion.status, tooLong.status]).toEqual([422, 422, 422]);
    expect(github.violations.join('\n')).toMatch(/annotations must NOT have more than 50 items/);
    expect(github.violations.join('\n')).toMatch(/conclusion must be equal to one of the allowed values/);
    expect(github.violations.join('\n')).toMatch(/summary must NOT have more than 65535 characters/);
    expect(github.checkRuns).toEqual([]);
  });

  it('wants an App JWT for tokens and a token for everything else', async () => {
    github.reset();
    const forged = jwt(appKeys().privateKey, 999);
    expect(
      (
        await call('POST', `/app/installations/${TARGET.installationId}/access_tokens`, {
          auth: `Bearer ${forged}`,
        })
      ).status,
    ).toBe(401);
    expect((await call('GET', `/repos/acme/docs/git/trees/${repo.head()}`)).status).toBe(401);
    expect(github.violations).toEqual([
      'POST /app/installations/{installation_id}/access_tokens: JWT iss 999, expected 4242',
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha}: request without a valid installation token',
    ]);
  });
});

/** An App JWT as GitHub expects it: RS256, `iss` = App ID, at most 10 minutes. */
function jwt(privateKey: string, appId: number): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: now - 30, exp: now + 540, iss: appId })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey, 'base64url')}`;
}
