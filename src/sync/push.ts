/**
 * `idse sync push`: the project's files as committed at HEAD (read with isomorphic-git, so each blob
 * SHA is git's own), sent to the gateway in rounds: first the list of paths and SHAs only, then the
 * content of the blobs the gateway says it lacks, a few MB per request. Nothing changed since the
 * last push means one small request, no content sent and none even read.
 */

import type { Config } from '../config/schema.ts';
import { ignoreMatcher } from '../config/select.ts';
import { IdseError } from '../errors.ts';
import { classifyPath, isWorkspaceFile } from '../model/layout.ts';
import { committedBlobs, readBlobs } from '../run/sources/git.ts';
import type { AgencyClient } from './client.ts';
import { SyncError } from './errors.ts';
import { readHead } from './git-head.ts';
import type { PushFile, PushRequest, PushResponse, RejectedFile } from './protocol.ts';
import { isConfigFile, outOfScope } from './scope.ts';
import type { PushState } from './state.ts';

/** Content per request: well under the gateway's 16 MiB limit, and a few seconds of upload at worst. */
export const PUSH_BATCH_BYTES = 4 * 1024 * 1024;
const SYMLINK_MODE = '120000';
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
  /** Told what is being done, for a progress line. */
  progress?: (text: string) => void;
}): Promise<PushOutcome> {
  const { root, client, config } = options;
  const progress = options.progress ?? (() => {});
  const head = await readHead(root);
  if (!head) {
    throw new IdseError(
      'git-failed',
      'the repository has no commits yet: idse sync push sends commits, so commit the docs first',
    );
  }
  const committed = await committedFiles(root, config, head.oid);
  const startBytes = client.bytesSent;
  const startRequests = client.requests;
  const { project, client_id } = await client.login(options.project ?? onlyProject(committed));
  const ref = options.ref ?? head.branch ?? DETACHED_REF;
  const rejected: RejectedFile[] = [];
  let files = committed.filter((f) => {
    if (outOfScope(f.path, project)) return false;
    if (f.mode !== SYMLINK_MODE) return true;
    rejected.push({ path: f.path, code: 'not-regular', message: 'a symlink in the commit' });
    return false;
  });

  if (!files.some((f) => !isConfigFile(f.path))) throw noDocsOf(project, head.oid, committed);

  const texts = new Map<string, string>();
  const request = (contents: ReadonlySet<string>): PushRequest => {
    const sent = new Set<string>();
    return {
      request_id: crypto.randomUUID(),
      client_id,
      project,
      ref,
      commit_sha: head.oid,
      committed_at: head.committedAt,
      ancestors: head.ancestors,
      ...(head.defaultBranch ? { default_branch: head.defaultBranch } : {}),
      files: files.map(({ path, oid }): PushFile => {
        // A blob shared by several paths travels once.
        if (!contents.has(oid) || sent.has(oid)) return { path, blob_sha: oid };
        sent.add(oid);
        return { path, blob_sha: oid, content: texts.get(oid)! };
      }),
    };
  };

  let contentBytes = 0;
  progress(
    `sending the list of ${files.length.toLocaleString('en')} files of ${project}@${head.oid.slice(0, 7)}`,
  );
  let response: PushResponse = await client.push(request(new Set()));
  let missingBefore = Number.POSITIVE_INFINITY;
  while (response.status === 'incomplete') {
    const listed = new Set(files.map((f) => f.oid));
    if (response.missing.length >= missingBefore || response.missing.some((sha) => !listed.has(sha))) {
      throw new SyncError(
        'agency-refused',
        `Agency Core keeps asking for blobs of ${head.oid.slice(0, 7)} it was sent`,
      );
    }
    // Content is read only now, and only for blobs the agency lacks: an unchanged push reads none.
    const unfit = await readTexts(root, response.missing, config.maxFileBytes, texts);
    if (unfit.size > 0) {
      // The list named files that cannot travel as text: send it again without them.
      for (const f of files) {
        const problem = unfit.get(f.oid);
        if (problem) rejected.push({ path: f.path, ...problem });
      }
      files = files.filter((f) => !unfit.has(f.oid));
      missingBefore = Number.POSITIVE_INFINITY;
      response = await client.push(request(new Set()));
      continue;
    }
    missingBefore = response.missing.length;
    const batch = takeBatch(response.missing, texts);
    contentBytes += [...batch].reduce((sum, sha) => sum + Buffer.byteLength(texts.get(sha)!), 0);
    const left = response.missing.length - batch.size;
    progress(
      `sending ${batch.size.toLocaleString('en')} of ${response.missing.length.toLocaleString('en')} missing files (${(contentBytes / 1e6).toFixed(1)} MB so far)${left ? '' : '; Agency Core validates them'}`,
    );
    response = await client.push(request(batch));
  }

  const outcome = {
    project,
    commit_sha: head.oid,
    ref,
    sync_event_id: response.sync_event_id,
    rejected: [...rejected, ...response.rejected].sort((a, b) => (a.path < b.path ? -1 : 1)),
    requests: client.requests - startRequests,
    bytes_sent: client.bytesSent - startBytes,
    content_bytes: contentBytes,
    state: {
      at: options.now.toISOString(),
      commit_sha: head.oid,
      ref,
      sync_event_id: response.sync_event_id,
      files: Object.fromEntries(files.map((f) => [f.path, f.oid])),
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

export interface CommittedFile {
  path: string;
  oid: string;
  mode: string;
}

/** The workspace files of a commit a push may send (config `ignore` applied), sorted; no content read. */
export async function committedFiles(root: string, config: Config, oid: string): Promise<CommittedFile[]> {
  const ignored = ignoreMatcher(config.ignore);
  const blobs = await committedBlobs({ dir: root, ref: oid });
  return [...blobs]
    .filter(([path]) => isWorkspaceFile(path) && !ignored(path))
    .map(([path, blob]) => ({ path, ...blob }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Reads the blobs into `texts`; returns those that cannot travel as text (larger than maxFileBytes,
 * not UTF-8, holding a NUL), which are left out.
 */
async function readTexts(
  root: string,
  oids: readonly string[],
  maxFileBytes: number,
  texts: Map<string, string>,
): Promise<Map<string, Omit<RejectedFile, 'path'>>> {
  const unfit = new Map<string, Omit<RejectedFile, 'path'>>();
  // ignoreBOM keeps a byte-order mark in the text, so the text hashes back to the same blob.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const blobs = await readBlobs({ dir: root, oids: oids.filter((oid) => !texts.has(oid)) });
  for (const [oid, bytes] of blobs) {
    if (bytes.byteLength > maxFileBytes) {
      unfit.set(oid, { code: 'too-large', message: `larger than ${maxFileBytes} bytes (maxFileBytes)` });
      continue;
    }
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      unfit.set(oid, { code: 'invalid-utf8', message: 'not valid UTF-8 text' });
      continue;
    }
    if (text.includes('\u0000'))
      unfit.set(oid, { code: 'invalid-content', message: 'contains a NUL character' });
    else texts.set(oid, text);
  }
  return unfit;
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

/** The projects the commit has docs of, sorted. */
function projectsOf(files: readonly { path: string }[]): string[] {
  const projects = new Set<string>();
  for (const f of files) {
    const role = classifyPath(f.path);
    if (role.role !== 'other' && !isConfigFile(f.path)) projects.add(role.project);
  }
  return [...projects].sort();
}

/** The one project the commit has docs of, when there is exactly one. */
export function onlyProject(files: readonly { path: string }[]): string | undefined {
  const projects = projectsOf(files);
  return projects.length === 1 ? projects[0] : undefined;
}

/** A push that would record nothing of the project: an error naming the projects the commit has. */
function noDocsOf(project: string, oid: string, files: readonly { path: string }[]): IdseError {
  const found = projectsOf(files);
  const has = found.length
    ? `its projects: ${found.join(', ')} (name one with --project)`
    : 'it has no IDSE docs at all (commit them first)';
  return new IdseError('usage', `commit ${oid.slice(0, 7)} has no docs of project ${project}; ${has}`);
}
