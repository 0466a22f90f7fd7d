/**
 * `idse sync push`: the project's files as committed at HEAD (read with isomorphic-git, so each blob
 * SHA is git's own), sent to the gateway in rounds: first the list of paths and SHAs only, then the
 * content of the blobs the gateway says it lacks, a few MB per request. Nothing changed since the
 * last push means one small request and no content at all.
 */
import { ignoreMatcher } from '../app/select.ts';
import type { Config } from '../config/schema.ts';
import { IdseError } from '../errors.ts';
import type { PushFile, PushRequest, PushResponse, RejectedFile } from '../gateway/schemas.ts';
import { classifyPath } from '../workspace/layout.ts';
import { isWorkspaceFile } from '../workspace/sources/fs.ts';
import { type CommittedFile, readCommittedFiles } from '../workspace/sources/git.ts';
import type { AgencyClient } from './client.ts';
import { SyncError } from './errors.ts';
import { readHead } from './git-head.ts';
import { isConfigFile, outOfScope } from './scope.ts';
import type { PushState } from './state.ts';

/** Content per request: well under the gateway's 16 MiB limit, and a few seconds of upload at worst. */
export const PUSH_BATCH_BYTES = 4 * 1024 * 1024;
/** The ref a push from a detached HEAD is recorded under, unless --ref names one. */
export const DETACHED_REF = 'refs/sync/detached';

export interface PushOutcome {
  project: string;
  commit_sha: string;
  ref: string;
  status: 'recorded' | 'duplicate';
  sync_event_id: number;
  accepted: string[];
  unchanged: number;
  removed: string[];
  /** Refused here (unreadable, not UTF-8…) or by the gateway. */
  rejected: RejectedFile[];
  /** Findings of the engine on the pushed commit (a duplicate push has none to report). */
  findings?: { errors: number; warnings: number; sessions: number };
  requests: number;
  bytes_sent: number;
  /** Bytes of document content sent: 0 when the agency had every blob. */
  content_bytes: number;
  /** For the sync state. */
  state: PushState;
}

export async function syncPush(options: {
  root: string;
  config: Config;
  client: AgencyClient;
  project: string | undefined;
  ref: string | undefined;
  now: Date;
}): Promise<PushOutcome> {
  const { root, client } = options;
  const head = await readHead(root);
  if (!head) {
    throw new IdseError(
      'git-failed',
      'the repository has no commits yet: idse sync push sends commits, so commit the docs first',
    );
  }
  const committed = await committedFiles(root, options.config, head.oid);
  const startBytes = client.bytesSent;
  const startRequests = client.requests;
  const { project, client_id } = await client.login(options.project ?? onlyProject(committed));
  const ref = options.ref ?? head.branch ?? DETACHED_REF;
  const { sendable, rejected } = prepareFiles(committed.filter((f) => !outOfScope(f.path, project)));

  const texts = new Map(sendable.map((f) => [f.blob_sha, f.text]));
  const request = (contents: ReadonlySet<string>): PushRequest => {
    const sent = new Set<string>();
    const files = sendable.map(({ path, blob_sha }): PushFile => {
      // A blob shared by several paths travels once.
      if (!contents.has(blob_sha) || sent.has(blob_sha)) return { path, blob_sha };
      sent.add(blob_sha);
      return { path, blob_sha, content: texts.get(blob_sha)! };
    });
    return {
      request_id: crypto.randomUUID(),
      client_id,
      project,
      ref,
      commit_sha: head.oid,
      committed_at: head.committedAt,
      files,
    };
  };

  let contentBytes = 0;
  let response: PushResponse = await client.push(request(new Set()));
  let missingBefore = Number.POSITIVE_INFINITY;
  while (response.status === 'incomplete') {
    if (response.missing.length >= missingBefore || response.missing.some((sha) => !texts.has(sha))) {
      throw new SyncError(
        'agency-refused',
        `Agency Core keeps asking for blobs of ${head.oid.slice(0, 7)} it was sent`,
      );
    }
    missingBefore = response.missing.length;
    const batch = takeBatch(response.missing, texts);
    contentBytes += [...batch].reduce((sum, sha) => sum + Buffer.byteLength(texts.get(sha)!), 0);
    response = await client.push(request(batch));
  }

  const files = Object.fromEntries(sendable.map((f) => [f.path, f.blob_sha]));
  const outcome = {
    project,
    commit_sha: head.oid,
    ref,
    sync_event_id: response.sync_event_id,
    rejected: [...rejected, ...response.rejected],
    requests: client.requests - startRequests,
    bytes_sent: client.bytesSent - startBytes,
    content_bytes: contentBytes,
    state: {
      at: options.now.toISOString(),
      commit_sha: head.oid,
      ref,
      sync_event_id: response.sync_event_id,
      files,
    },
  };
  if (response.status === 'duplicate') {
    return { ...outcome, status: 'duplicate', accepted: [], unchanged: response.unchanged, removed: [] };
  }
  return {
    ...outcome,
    status: 'recorded',
    accepted: response.accepted,
    unchanged: response.unchanged,
    removed: response.removed,
    findings: { errors: response.errors, warnings: response.warnings, sessions: response.sessions.length },
  };
}

/** The workspace files of a commit that a push may send (config `ignore` applied). */
export function committedFiles(root: string, config: Config, oid: string): Promise<CommittedFile[]> {
  const ignored = ignoreMatcher(config.ignore);
  return readCommittedFiles({
    dir: root,
    ref: oid,
    include: (path) => isWorkspaceFile(path) && !ignored(path),
    maxFileBytes: config.maxFileBytes,
  });
}

interface Sendable {
  path: string;
  blob_sha: string;
  text: string;
}

/** Files the gateway can take as text; the others are reported, not sent. */
function prepareFiles(files: readonly CommittedFile[]): { sendable: Sendable[]; rejected: RejectedFile[] } {
  const sendable: Sendable[] = [];
  const rejected: RejectedFile[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for (const file of files) {
    if (!file.content) {
      const problem = file.problem;
      rejected.push(
        problem?.kind === 'too-large'
          ? {
              path: file.path,
              code: 'too-large',
              message: `larger than ${problem.limit} bytes (maxFileBytes)`,
            }
          : {
              path: file.path,
              code: 'not-regular',
              message: problem && 'detail' in problem ? problem.detail : 'not a file',
            },
      );
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(file.content);
    } catch {
      rejected.push({ path: file.path, code: 'invalid-utf8', message: 'not valid UTF-8 text' });
      continue;
    }
    if (text.includes('\u0000')) {
      rejected.push({ path: file.path, code: 'invalid-content', message: 'contains a NUL character' });
      continue;
    }
    sendable.push({ path: file.path, blob_sha: file.oid, text });
  }
  return { sendable, rejected };
}

/** The next blobs to upload: as many as fit in a batch, and at least one. */
function takeBatch(missing: readonly string[], texts: ReadonlyMap<string, string>): Set<string> {
  const batch = new Set<string>();
  let bytes = 0;
  for (const sha of missing) {
    const size = Buffer.byteLength(texts.get(sha)!);
    if (batch.size > 0 && bytes + size > PUSH_BATCH_BYTES) break;
    batch.add(sha);
    bytes += size;
  }
  return batch;
}

/** The one project the commit has docs of, when there is exactly one. */
export function onlyProject(files: readonly CommittedFile[]): string | undefined {
  const projects = new Set<string>();
  for (const f of files) {
    const role = classifyPath(f.path);
    if (role.role !== 'other' && !isConfigFile(f.path)) projects.add(role.project);
  }
  return projects.size === 1 ? [...projects][0] : undefined;
}
