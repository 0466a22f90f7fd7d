/**
 * `idse sync pull`: what the agency published for this project since the last pull, written into the
 * working tree without clobbering local work. A file is overwritten only when it is exactly what the
 * agency last sent (or absent and never pulled); a file changed here since the last pull keeps its
 * content, and the agency's version is saved beside it as `<file>.incoming`, reported as a conflict.
 * All writes of a pull are made at once (temp files renamed into place), then the state.
 */
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { gitBlobId } from '../model/blob-id.ts';
import { writeFilesAtomically } from '../scaffold/write.ts';
import type { AgencyClient } from './client.ts';
import { pathProblem } from './paths.ts';
import type { PublishedDoc } from './protocol.ts';
import type { PullState, SyncState } from './state.ts';

export const INCOMING_SUFFIX = '.incoming';
const PAGE = 500;

export type PullAction = 'added' | 'updated' | 'unchanged' | 'conflict' | 'rejected';

export interface PulledDoc {
  path: string;
  kind: PublishedDoc['kind'];
  action: PullAction;
  /** Why: the conflict or the rejection, for people. */
  message?: string;
}

export interface PullOutcome {
  project: string;
  cursor: number;
  docs: PulledDoc[];
  state: PullState;
}

export async function syncPull(options: {
  root: string;
  client: AgencyClient;
  project: string | undefined;
  state: SyncState;
  now: Date;
}): Promise<PullOutcome> {
  const { root, client } = options;
  const { client_id, project } = await client.login(options.project);
  const last = options.state.projects[project]?.pull;
  const since = last?.cursor ?? 0;
  // Every page first: a connection lost half-way writes nothing.
  const latest = new Map<string, PublishedDoc>();
  let cursor = since;
  for (let more = true; more; ) {
    const page = await client.pull({ client_id, project, since: cursor, limit: PAGE });
    for (const doc of page.docs) latest.set(doc.path, doc);
    cursor = page.cursor;
    more = page.more;
  }

  const at = options.now.toISOString();
  const files = { ...last?.files };
  const conflicts = { ...last?.conflicts };
  const writes = new Map<string, string>();
  const docs: PulledDoc[] = [];
  for (const doc of latest.values()) {
    const decision = decide(root, doc, files[doc.path]);
    docs.push({
      path: doc.path,
      kind: doc.kind,
      action: decision.action,
      ...(decision.message ? { message: decision.message } : {}),
    });
    if (decision.action === 'rejected') continue;
    files[doc.path] = doc.blob_sha;
    if (decision.action === 'added' || decision.action === 'updated') {
      writes.set(doc.path, doc.content);
      delete conflicts[doc.path];
    } else if (decision.action === 'conflict') {
      writes.set(`${doc.path}${INCOMING_SUFFIX}`, doc.content);
      conflicts[doc.path] = { incoming: `${doc.path}${INCOMING_SUFFIX}`, blob_sha: doc.blob_sha, at };
    } else {
      delete conflicts[doc.path];
    }
  }
  if (writes.size > 0) writeFilesAtomically(root, writes, { force: true });
  return { project, cursor, docs, state: { at, cursor, files, conflicts } };
}

/** What to do with one published doc, given the local file and the SHA the agency last sent for it. */
function decide(
  root: string,
  doc: PublishedDoc,
  base: string | undefined,
): { action: PullAction; message?: string } {
  const unsafe = pathProblem(doc.path) ?? escapes(root, doc.path);
  if (unsafe) return { action: 'rejected', message: unsafe };
  if (gitBlobId(new TextEncoder().encode(doc.content)) !== doc.blob_sha) {
    return { action: 'rejected', message: 'the content does not match its blob SHA' };
  }
  const local = localBlob(join(root, doc.path));
  if (local === 'not-a-file') return { action: 'rejected', message: 'a folder or link is in the way' };
  if (local === doc.blob_sha) return { action: 'unchanged' };
  if (local === undefined && base === undefined) return { action: 'added' };
  if (local !== undefined && local === base) return { action: 'updated' };
  const why =
    local === undefined
      ? 'deleted here since the last pull'
      : base === undefined
        ? 'a local file that never came from a pull'
        : 'changed here since the last pull';
  return {
    action: 'conflict',
    message: `${why}; the agency's version is in ${doc.path}${INCOMING_SUFFIX}`,
  };
}

/** Blob SHA of the working-tree file; undefined when absent; 'not-a-file' for folders, links, others. */
function localBlob(abs: string): string | undefined {
  const stats = lstatSync(abs, { throwIfNoEntry: false });
  if (!stats) return undefined;
  if (!stats.isFile()) return 'not-a-file';
  return gitBlobId(readFileSync(abs));
}

/** A path whose existing folders lead outside the workspace through a symlink. */
function escapes(root: string, path: string): string | undefined {
  let dir = dirname(join(root, path));
  while (lstatSync(dir, { throwIfNoEntry: false }) === undefined) dir = dirname(dir);
  const real = relative(realpathSync(root), realpathSync(dir));
  return real === '..' || real.startsWith(`..${sep}`)
    ? 'a folder on the way links outside the workspace'
    : undefined;
}
