import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../src/auth/errors.ts';
import { generateApiKey, hashApiKey, keyScope } from '../../../src/auth/keys.ts';
import { type TokenClaims, TokenIssuer } from '../../../src/auth/tokens.ts';

const rsa = (type: 'pkcs1' | 'pkcs8') =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type, format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;

const claims: TokenClaims = {
  client_id: '6f1c1f7e-3a35-4c1e-9d7c-1e2b3c4d5e6f',
  project: 'payments',
  scope: 'sync',
  key_id: 7,
};

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
  throw new Error('expected the token to be refused');
}

describe('TokenIssuer', () => {
  it('signs with a GitHub App key (PKCS#1 or PKCS#8) and reads its claims back', async () => {
    for (const pem of [rsa('pkcs1'), rsa('pkcs8')]) {
      const issuer = TokenIssuer.fromPrivateKey(pem);
      const now = new Date('2026-11-25T10:00:00Z');
      const { token, expires_at } = await issuer.issue(claims, {
        audience: 'idse-sync',
        ttlSeconds: 900,
        now,
      });
      expect(expires_at).toBe('2026-11-25T10:15:00.000Z');
      const verified = await issuer.verify(token, 'idse-sync', { now });
      expect(verified).toEqual({ ...claims, jti: expect.stringMatching(/^[0-9a-f-]{36}$/), exp: 1795601700 });
    }
  });

  it('refuses a token past its expiry, for another audience, from another key or altered', async () => {
    const issuer = TokenIssuer.fromPrivateKey(rsa('pkcs8'));
    const now = new Date('2026-11-25T10:00:00Z');
    const { token } = await issuer.issue(claims, { audience: 'idse-sync', ttlSeconds: 60, now });
    const later = new Date('2026-11-25T10:01:01Z');
    expect(await failure(issuer.verify(token, 'idse-sync', { now: later }))).toBe('token-expired');
    expect(await failure(issuer.verify(token, 'idse-dashboard', { now }))).toBe('token-invalid');
    expect(await failure(TokenIssuer.fromPrivateKey(rsa('pkcs8')).verify(token, 'idse-sync', { now }))).toBe(
      'token-invalid',
    );
    const [head, body, sig] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), client_id: null }),
    ).toString('base64url');
    expect(await failure(issuer.verify(`${head}.${forged}.${sig}`, 'idse-sync', { now }))).toBe(
      'token-invalid',
    );
    expect(await failure(issuer.verify('not a token', 'idse-sync', { now }))).toBe('token-invalid');
  });

  it('refuses an unsigned token and one signed with the HS256 secret of another deployment', async () => {
    const now = new Date();
    const mine = TokenIssuer.fromSecret('s'.repeat(32));
    const theirs = TokenIssuer.fromSecret('t'.repeat(32));
    const { token } = await theirs.issue(claims, { audience: 'idse-sync', ttlSeconds: 60, now });
    expect(await failure(mine.verify(token, 'idse-sync'))).toBe('token-invalid');
    const [, body] = token.split('.') as [string, string];
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${body}.`;
    expect(await failure(mine.verify(none, 'idse-sync'))).toBe('token-invalid');
    expect(() => TokenIssuer.fromSecret('short')).toThrow(RangeError);
  });
});

describe('API keys', () => {
  it('are random, carry their scope, and hash to a stable SHA-256', () => {
    const a = generateApiKey('sync');
    const b = generateApiKey('sync');
    expect(a.key).toMatch(/^idse_sync_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(keyScope(a.key)).toBe('sync');
    expect(keyScope(generateApiKey('admin').key)).toBe('admin');
    expect(keyScope(`${a.key}x`)).toBeUndefined();
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
