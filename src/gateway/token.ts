/** POST /mcp/auth/token: an API key exchanged for a short-lived token for one client and project. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateKey } from '../auth/authenticate.ts';
import { AuthError } from '../auth/errors.ts';
import { HttpError, readJson, sendJson } from '../server/http.ts';
import { SYNC_AUDIENCE, TokenRequestSchema, type TokenResponse } from '../sync/protocol.ts';
import type { GatewayContext } from './context.ts';
import { parseRequest } from './errors.ts';

const MAX_TOKEN_REQUEST_BYTES = 16 * 1024;

export async function issueToken(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: GatewayContext,
): Promise<void> {
  const body = parseRequest(
    TokenRequestSchema,
    await readJson(req, MAX_TOKEN_REQUEST_BYTES),
    'token request',
  );
  const key = await authenticateKey(ctx.store, body.key, 'sync');
  if (key.project && body.project && key.project !== body.project) {
    throw new AuthError('forbidden', `the key reaches project ${key.project}, not ${body.project}`);
  }
  const project = key.project ?? body.project;
  if (!project) {
    throw new HttpError(
      400,
      'project-required',
      'the key reaches every project of its client: name one (project)',
    );
  }
  // A sync key always belongs to one client (the store refuses one without).
  const client_id = key.client_id!;
  const { token, expires_at } = await ctx.tokens.issue(
    { client_id, project, scope: 'sync', key_id: key.id },
    { audience: SYNC_AUDIENCE, ttlSeconds: ctx.tokenTtlSeconds, now: ctx.now() },
  );
  const answer: TokenResponse = { token, token_type: 'Bearer', expires_at, client_id, project };
  sendJson(res, 200, answer);
}
