/**
 * POST /mcp/sync/push: a commit of a client workspace, in as many requests as it takes. Each request
 * lists every file of the project at the commit (path and blob SHA) and carries the content of some;
 * the gateway stores what it is given and answers which blobs it still lacks (`incomplete`). Once it
 * has them all it validates the commit with the engine and records it (`recorded`); a commit already
 * recorded on the ref answers `duplicate`. A retry is therefore harmless, whatever failed when, and a
 * refused request (4xx) writes nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gitBlobId } from '../model/blob-id.ts';
import { HttpError, readJson, sendJson } from '../server/http.ts';
import { pathProblem } from '../sync/paths.ts';
import {
  type PushFile,
  type PushRequest,
  PushRequestSchema,
  type PushResponse,
  type RejectedFile,
} from '../sync/protocol.ts';
import { outOfScope } from '../sync/scope.ts';
import { checkReach, tokenReach } from './auth.ts';
import type { GatewayContext } from './context.ts';
import { parseRequest } from './errors.ts';
import { type CheckedCommit, checkCommit, type PushedFile } from './validate.ts';

export async function pushCommit(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: GatewayContext,
): Promise<void> {
  // The token is checked before the body is read: a stranger's upload is refused unread.
  const reach = await tokenReach(req, ctx);
  const body = parseRequest(PushRequestSchema, await readJson(req, ctx.maxPushBytes), 'push request');
  checkReach(reach, body);
  checkFiles(body.files);
  const rejected: RejectedFile[] = [];
  const kept: PushFile[] = [];
  for (const file of body.files) {
    const problem = outOfScope(file.path, body.project);
    if (problem) rejected.push({ path: file.path, ...problem });
    else kept.push(file);
  }

  const given = new Map<string, string>();
  for (const f of kept) if (f.content !== undefined) given.set(f.blob_sha, f.content);
  const request = {
    request_id: body.request_id,
    client_id: body.client_id,
    project: body.project,
    ref: body.ref,
    commit_sha: body.commit_sha,
    blob_shas: kept.map((f) => f.blob_sha),
  };
  const at = `${body.project}@${body.commit_sha.slice(0, 7)}`;
  const replayed = () =>
    new HttpError(
      409,
      'request-replayed',
      `request ${body.request_id} was received before; send a new request_id`,
    );

  // Nothing is written until the request is known to be accepted: a refused push leaves no request
  // id and no blobs behind. The lookup writes nothing; a commit it finds whole is validated first.
  const lookup = await ctx.store.syncLookup({ ...request, given_shas: [...given.keys()] });
  if (lookup.replayed) throw replayed();
  if (lookup.recorded) return duplicate(res, lookup.sync_event_id ?? 0, kept.length, rejected);
  let checked: CheckedCommit | undefined;
  if (lookup.missing.length === 0) {
    const files = await filesOf(ctx, body.client_id, lookup.repository_id, kept, given);
    if (files) checked = await checkCommit(files, at, ctx.engine);
  }

  const prepared = await ctx.store.syncPrepare({
    ...request,
    blobs: [...given].map(([blob_sha, content]) => ({ blob_sha, content })),
  });
  if (prepared.replayed) throw replayed();
  if (prepared.recorded) return duplicate(res, prepared.sync_event_id ?? 0, kept.length, rejected);
  if (prepared.missing.length > 0) {
    return answer(res, { status: 'incomplete', missing: prepared.missing, rejected });
  }
  // Only when another request completed the commit between the lookup and now.
  if (!checked) {
    const files = await filesOf(ctx, body.client_id, prepared.repository_id, kept, given);
    if (!files) return answer(res, { status: 'incomplete', missing: request.blob_shas, rejected });
    checked = await checkCommit(files, at, ctx.engine);
  }
  const result = await ctx.store.recordSyncPush({
    client_id: body.client_id,
    repository_id: prepared.repository_id,
    ref: body.ref,
    commit_sha: body.commit_sha,
    committed_at: body.committed_at,
    ancestors: body.ancestors ?? [],
    ...(body.default_branch ? { default_branch: body.default_branch } : {}),
    artifacts: checked.artifacts,
    sessions: checked.sessions,
  });
  ctx.log?.info(
    `idse: sync push ${at} of client ${body.client_id} ${result.duplicate ? 'was recorded concurrently' : `recorded as sync event ${result.sync_event_id}: ${result.accepted.length} accepted, ${result.unchanged} unchanged, ${result.removed.length} removed, ${rejected.length} rejected`}`,
  );
  await collectBlobs(ctx, body.client_id, prepared.repository_id);
  if (result.duplicate) return duplicate(res, result.sync_event_id, kept.length, rejected);
  answer(res, {
    status: 'recorded',
    sync_event_id: result.sync_event_id,
    accepted: result.accepted,
    unchanged: result.unchanged,
    removed: result.removed,
    rejected,
    errors: checked.errors,
    warnings: checked.warnings,
    sessions: checked.rows,
  });
}

/** The commit's files with their contents, given or stored; undefined if a stored one is gone. */
async function filesOf(
  ctx: GatewayContext,
  clientId: string,
  repositoryId: number | null,
  kept: readonly PushFile[],
  given: ReadonlyMap<string, string>,
): Promise<PushedFile[] | undefined> {
  const contents = new Map(given);
  const wanted = [...new Set(kept.map((f) => f.blob_sha).filter((sha) => !given.has(sha)))];
  if (wanted.length > 0 && repositoryId !== null) {
    const stored = await ctx.store.syncBlobs({
      client_id: clientId,
      repository_id: repositoryId,
      blob_shas: wanted,
    });
    for (const blob of stored) contents.set(blob.blob_sha, blob.content);
  }
  const files: PushedFile[] = [];
  for (const f of kept) {
    const content = contents.get(f.blob_sha);
    if (content === undefined) return undefined;
    files.push({ path: f.path, blob_sha: f.blob_sha, content });
  }
  return files;
}

/** Uploads of pushes that never completed go once they are a day old; a failure only delays that. */
async function collectBlobs(ctx: GatewayContext, clientId: string, repositoryId: number): Promise<void> {
  try {
    const deleted = await ctx.store.syncCollectBlobs({ client_id: clientId, repository_id: repositoryId });
    if (deleted > 0)
      ctx.log?.info(`idse: collected ${deleted} unreferenced blobs of synced workspace ${repositoryId}`);
  } catch (error) {
    ctx.log?.error(
      `idse: could not collect unreferenced blobs of ${repositoryId}: ${(error as Error).message}`,
    );
  }
}

const duplicate = (res: ServerResponse, syncEventId: number, unchanged: number, rejected: RejectedFile[]) =>
  answer(res, { status: 'duplicate', sync_event_id: syncEventId, unchanged, rejected });

/**
 * Refuses the whole request, before anything is written, when a path could escape the workspace or
 * is listed twice, or when a content does not hash to its blob SHA.
 */
function checkFiles(files: PushRequest['files']): void {
  const seen = new Set<string>();
  const encoder = new TextEncoder();
  files.forEach((file, index) => {
    const problem = pathProblem(file.path);
    if (problem)
      throw new HttpError(
        400,
        'unsafe-path',
        `files[${index}].path ${JSON.stringify(file.path)}: ${problem}`,
      );
    if (seen.has(file.path))
      throw new HttpError(400, 'invalid-request', `files[${index}]: ${file.path} is listed twice`);
    seen.add(file.path);
    if (file.content !== undefined && gitBlobId(encoder.encode(file.content)) !== file.blob_sha) {
      throw new HttpError(
        422,
        'blob-mismatch',
        `files[${index}] (${file.path}): the content does not hash to blob ${file.blob_sha} (send the file's exact UTF-8 text)`,
      );
    }
  });
}

const answer = (res: ServerResponse, body: PushResponse) => sendJson(res, 200, body);
