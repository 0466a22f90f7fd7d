import type { ApiKeyRecord, KeyScope } from '../store/keys.ts';
import type { Store } from '../store/store.ts';
import { AuthError } from './errors.ts';
import { hashApiKey, keyScope } from './keys.ts';
import type { TokenIssuer, VerifiedToken } from './tokens.ts';

/**
 * The live key record for `key`, if it has the scope asked for. Every failure is the same
 * `key-invalid`, so a caller learns nothing about which keys exist.
 */
export async function authenticateKey(
  store: Pick<Store, 'resolveApiKey'>,
  key: string,
  scope: KeyScope,
): Promise<ApiKeyRecord> {
  const record = keyScope(key) === scope ? await store.resolveApiKey(hashApiKey(key)) : null;
  if (!record || record.scope !== scope) {
    throw new AuthError('key-invalid', `not a valid ${scope} key`);
  }
  return record;
}

/**
 * The claims of a token we issued for `audience`, provided the key it was issued for is still live:
 * revoking a key ends its tokens and dashboard sessions at once, not when they expire.
 */
export async function authenticateToken(
  store: Pick<Store, 'isApiKeyLive'>,
  tokens: TokenIssuer,
  token: string,
  audience: string,
  now: Date,
): Promise<VerifiedToken> {
  const claims = await tokens.verify(token, audience, { now });
  if (!(await store.isApiKeyLive(claims.key_id))) {
    throw new AuthError('key-invalid', 'the key this token was issued for has been revoked');
  }
  return claims;
}
