/**
 * API keys: 256 random bits, shown once when created and kept only as a SHA-256. The scope is part of
 * the key's text so a key pasted in the wrong place is recognisable (`idse_sync_…`, `idse_admin_…`),
 * and the prefix kept beside the hash lets an admin tell keys apart in `idse agency keys list`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { KeyScope } from '../store/keys.ts';

export type { KeyScope } from '../store/keys.ts';

const KEY = /^idse_(sync|admin)_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(scope: KeyScope): { key: string; hash: string; prefix: string } {
  const key = `idse_${scope}_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, `idse_${scope}_`.length + 6) };
}

/** SHA-256 in hex: a slow password hash buys nothing for keys with 256 bits of entropy. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The scope a key's text claims, or undefined when it isn't an idse key at all. */
export function keyScope(key: string): KeyScope | undefined {
  return KEY.exec(key)?.[1] as KeyScope | undefined;
}
