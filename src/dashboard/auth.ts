/**
 * Who is asking. An admin API key (scope admin) as `Authorization: Bearer <key>`, for scripts; or, for
 * browsers, the cookie the login form sets: a token (audience idse-dashboard, 8 hours) the App signs
 * for a key it has checked. A key of one client sees that client only; a key without a client (an
 * agency-wide key) sees every client.
 */
import type { IncomingMessage } from 'node:http';
import { authenticateKey } from '../auth/authenticate.ts';
import { isAuthError } from '../auth/errors.ts';
import { keyScope } from '../auth/keys.ts';
import type { TokenIssuer } from '../auth/tokens.ts';
import { authHttpError, bearerToken, HttpError } from '../server/http.ts';
import type { Store } from '../store/store.ts';

export const DASHBOARD_AUDIENCE = 'idse-dashboard';
export const SESSION_COOKIE = 'idse_dashboard';
export const SESSION_SECONDS = 8 * 3600;

export interface Principal {
  /** null: agency-wide. */
  clientId: string | null;
  keyId: number;
}

export interface DashboardAuth {
  store: Pick<Store, 'resolveApiKey' | 'isDashboardSessionLive' | 'endDashboardSession'>;
  tokens: TokenIssuer;
  now: () => Date;
}

const unauthorized = (code: string, message: string) => new HttpError(401, code, message);

/** The principal of a request, or a 401 HttpError saying why not. */
export async function authenticate(req: IncomingMessage, auth: DashboardAuth): Promise<Principal> {
  const bearer = bearerToken(req);
  const token = bearer ?? cookie(req, SESSION_COOKIE);
  if (!token) throw unauthorized('unauthenticated', 'sign in with an admin API key');
  try {
    // A bearer may be the key itself (scripts) or a dashboard token; the cookie is always a token.
    if (bearer && keyScope(bearer)) {
      const record = await authenticateKey(auth.store, bearer, 'admin');
      return { clientId: record.client_id, keyId: record.id };
    }
    const claims = await auth.tokens.verify(token, DASHBOARD_AUDIENCE, { now: auth.now() });
    if (claims.scope !== 'admin') throw unauthorized('key-invalid', 'not an admin token');
    // Revoking the key, or signing out, ends the session at once (not when its token expires).
    if (!(await auth.store.isDashboardSessionLive(claims.key_id, claims.jti))) {
      throw unauthorized(
        'session-ended',
        'this session has ended (signed out, or its key was revoked); sign in again',
      );
    }
    return { clientId: claims.client_id, keyId: claims.key_id };
  } catch (error) {
    if (isAuthError(error)) throw authHttpError(error);
    throw error;
  }
}

/** Checks an admin key posted to the login form and returns the Set-Cookie value of its session. */
export async function signIn(key: string, auth: DashboardAuth, secure: boolean): Promise<string> {
  let record: Awaited<ReturnType<typeof authenticateKey>>;
  try {
    record = await authenticateKey(auth.store, key.trim(), 'admin');
  } catch (error) {
    if (isAuthError(error)) throw authHttpError(error, 'that is not a valid admin API key');
    throw error;
  }
  const { token } = await auth.tokens.issue(
    { client_id: record.client_id, project: null, scope: 'admin', key_id: record.id },
    { audience: DASHBOARD_AUDIENCE, ttlSeconds: SESSION_SECONDS, now: auth.now() },
  );
  return sessionCookie(token, SESSION_SECONDS, secure);
}

/**
 * Ends the request's session on the server too (a copy of the cookie stops working), and returns the
 * Set-Cookie value that clears it in the browser. A cookie that is no valid session has nothing to end.
 */
export async function signOut(req: IncomingMessage, auth: DashboardAuth): Promise<string> {
  const token = cookie(req, SESSION_COOKIE);
  const claims = token
    ? await auth.tokens.verify(token, DASHBOARD_AUDIENCE, { now: auth.now() }).catch(() => undefined)
    : undefined;
  if (claims) await auth.store.endDashboardSession(claims.key_id, claims.jti, new Date(claims.exp * 1000));
  return sessionCookie('', 0, isSecure(req));
}

/**
 * HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it (so no cross-site
 * request forgery); Path: only the dashboard gets it; Secure whenever the request came over HTTPS.
 */
function sessionCookie(value: string, maxAge: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Max-Age=${maxAge}; Path=/dashboard; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Over HTTPS, directly or behind a proxy that says so. */
export const isSecure = (req: IncomingMessage): boolean =>
  Boolean((req.socket as { encrypted?: boolean }).encrypted) || req.headers['x-forwarded-proto'] === 'https';

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
