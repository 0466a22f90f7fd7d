/**
 * HS256 JWTs for the Supabase tests, as a Supabase project signs its API keys and user tokens with the
 * project's JWT secret. Tests only: production code never mints tokens this way.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TEST_JWT_SECRET = 'test-only-jwt-secret-at-least-32-characters-long';

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export function signJwt(claims: Record<string, unknown>, secret = TEST_JWT_SECRET): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64(JSON.stringify({ iss: 'supabase', iat: now, exp: now + 3600, ...claims }));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** The claims of a valid, unexpired token, or why it isn't one (PostgREST's PGRST30x answers). */
export function verifyJwt(
  token: string,
  secret = TEST_JWT_SECRET,
): { claims: Record<string, unknown> } | { error: string; code: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { code: 'PGRST301', error: `Expected 3 parts in JWT; got ${parts.length}` };
  const [head, body, sig] = parts as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { code: 'PGRST301', error: 'JWSError JWSInvalidSignature' };
  }
  const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
  if (header.alg !== 'HS256') return { code: 'PGRST301', error: `unsupported alg ${header.alg}` };
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  if (typeof claims.exp === 'number' && claims.exp < Date.now() / 1000) {
    return { code: 'PGRST303', error: 'JWT expired' };
  }
  return { claims };
}

export const serviceKey = () => signJwt({ role: 'service_role' });
export const anonKey = () => signJwt({ role: 'anon' });
/** A dashboard user's token carrying its tenant, as a custom access token hook would add it. */
export const userToken = (clientId: string) =>
  signJwt({ role: 'authenticated', aud: 'authenticated', sub: crypto.randomUUID(), client_id: clientId });
