/**
 * Who is asking: the bearer token of a push or pull, verified (signature, issuer, audience, expiry)
 * and reaching exactly one client and project, the ones the request names.
 */
import type { IncomingMessage } from 'node:http';
import { authenticateToken } from '../auth/authenticate.ts';
import { AuthError } from '../auth/errors.ts';
import type { TokenIssuer } from '../auth/tokens.ts';
import { bearerToken } from '../server/http.ts';
import type { Store } from '../store/store.ts';
import { SYNC_AUDIENCE } from '../sync/protocol.ts';

export interface SyncReach {
  client_id: string;
  project: string;
}

/** The client and project a request's token reaches; AuthError when it carries no valid sync token. */
export async function tokenReach(
  req: IncomingMessage,
  ctx: { store: Pick<Store, 'isApiKeyLive'>; tokens: TokenIssuer; now: () => Date },
): Promise<SyncReach> {
  const token = bearerToken(req);
  if (!token)
    throw new AuthError(
      'token-invalid',
      'send a token from POST /mcp/auth/token as "Authorization: Bearer <token>"',
    );
  const claims = await authenticateToken(ctx.store, ctx.tokens, token, SYNC_AUDIENCE, ctx.now());
  if (claims.scope !== 'sync' || !claims.client_id || !claims.project) {
    throw new AuthError('token-invalid', 'the token is not a sync token for one client and project');
  }
  return { client_id: claims.client_id, project: claims.project };
}

/** A request may only name the client and project of its token. */
export function checkReach(reach: SyncReach, asked: SyncReach): void {
  if (asked.client_id !== reach.client_id || asked.project !== reach.project) {
    throw new AuthError(
      'forbidden',
      `the token reaches project ${reach.project} of client ${reach.client_id}, not project ${asked.project} of client ${asked.client_id}`,
    );
  }
}
