import type { ApiKeyRecord, KeyScope } from '../store/keys.ts';
import type { Store } from '../store/store.ts';
import { AuthError } from './errors.ts';
import { hashApiKey, keyScope } from './keys.ts';

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
