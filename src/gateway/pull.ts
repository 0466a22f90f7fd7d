/** GET /mcp/sync/pull: what the agency published for the token's client and project after a cursor. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../server/http.ts';
import { PullQuerySchema, type PullResponse } from '../sync/protocol.ts';
import { checkReach, tokenReach } from './auth.ts';
import type { GatewayContext } from './context.ts';
import { parseRequest } from './errors.ts';

export async function pullPublished(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: GatewayContext,
  url: URL,
): Promise<void> {
  const reach = await tokenReach(req, ctx);
  const query = parseRequest(PullQuerySchema, Object.fromEntries(url.searchParams), 'pull query');
  checkReach(reach, query);
  const page: PullResponse = await ctx.store.pullPublished({
    client_id: query.client_id,
    project: query.project,
    since: query.since,
    max_docs: query.limit,
  });
  sendJson(res, 200, page);
}
