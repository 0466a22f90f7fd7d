/**
 * The docs a session page shows: each doc current on the page's ref, its text (a synced workspace's
 * from the store, a GitHub repository's read from GitHub with the App's installation), rendered with
 * its findings (doc-renderer.ts), and where to open it at that commit. A doc that cannot be read or
 * rendered is listed with the reason; the page never fails for it.
 */
import { DOC_KINDS } from '../pipeline/stages.ts';
import type { AgencyDocs } from '../store/agency.ts';
import type { Store } from '../store/store.ts';
import type { DocFinding } from './doc-html.ts';
import type { DocRenderer, Rendered } from './doc-renderer.ts';

/** A GitHub repository's blobs (the App's installation client), as text by blob SHA. */
export type ReadGitHubBlobs = (
  installationId: number,
  repository: string,
  shas: readonly string[],
) => Promise<Map<string, string>>;

export interface DocSources {
  renderer: DocRenderer;
  /** GitHub's web address for links to files: https://github.com, or the Enterprise server's. */
  githubWeb: string;
  /** Without it a GitHub repository's docs are listed and linked, not shown. */
  readGitHubBlobs?: ReadGitHubBlobs;
}

export interface ShownDoc {
  path: string;
  kind: string | null;
  errors: number;
  warnings: number;
  /** The file at the doc's commit on GitHub; none for a synced workspace. */
  url?: string;
  body: Rendered;
}

export interface SessionDocs {
  ref: string | null;
  commit: string | null;
  source: AgencyDocs['source'];
  docs: ShownDoc[];
}

const findingsOf = (diagnostics: AgencyDocs['docs'][number]['diagnostics']): DocFinding[] =>
  diagnostics.map((d) => {
    const line = (d.range as { start?: { line?: unknown } } | undefined)?.start?.line;
    return {
      code: String(d.code ?? ''),
      severity: String(d.severity ?? 'info'),
      message: String(d.message ?? ''),
      ...(typeof line === 'number' ? { line } : {}),
    };
  });

const kindOrder = (kind: string | null) => {
  const at = DOC_KINDS.indexOf(kind as (typeof DOC_KINDS)[number]);
  return at < 0 ? DOC_KINDS.length : at;
};

/** Texts of blobs seen lately, by repository and SHA: a page reloaded reads nothing again. */
const texts = new Map<string, string>();
const TEXTS_KEPT = 512;
function remember(key: string, text: string): void {
  texts.delete(key);
  texts.set(key, text);
  if (texts.size > TEXTS_KEPT) texts.delete(texts.keys().next().value!);
}

async function readTexts(
  store: Pick<Store, 'syncBlobs'>,
  docs: AgencyDocs,
  clientId: string,
  sources: DocSources,
): Promise<Map<string, string> | string> {
  const key = (sha: string) => `${docs.repository_id}:${sha}`;
  const missing = [...new Set(docs.docs.map((d) => d.blob_sha))].filter((sha) => !texts.has(key(sha)));
  if (missing.length) {
    if (docs.source === 'sync') {
      const blobs = await store.syncBlobs({
        client_id: clientId,
        repository_id: docs.repository_id,
        blob_shas: missing,
      });
      for (const blob of blobs) remember(key(blob.blob_sha), blob.content);
    } else if (!sources.readGitHubBlobs || docs.installation_id === null) {
      return 'open it on GitHub: this server does not read docs from GitHub';
    } else {
      try {
        const read = await sources.readGitHubBlobs(docs.installation_id, docs.repository, missing);
        for (const [sha, text] of read) remember(key(sha), text);
      } catch (error) {
        return `could not be read from GitHub (${error instanceof Error ? error.message : String(error)})`;
      }
    }
  }
  return new Map(
    docs.docs.flatMap((d) => (texts.has(key(d.blob_sha)) ? [[d.blob_sha, texts.get(key(d.blob_sha))!]] : [])),
  );
}

export async function sessionDocs(
  store: Pick<Store, 'syncBlobs'>,
  docs: AgencyDocs,
  clientId: string,
  sources: DocSources,
): Promise<SessionDocs> {
  const base =
    docs.source === 'github' && docs.commit_sha
      ? `${sources.githubWeb}/${docs.repository}/blob/${docs.commit_sha}/`
      : undefined;
  const read = await readTexts(store, docs, clientId, sources);
  const ordered = [...docs.docs].sort(
    (a, b) => kindOrder(a.kind) - kindOrder(b.kind) || (a.path < b.path ? -1 : 1),
  );
  const shown: ShownDoc[] = [];
  for (const doc of ordered) {
    const findings = findingsOf(doc.diagnostics);
    const text = typeof read === 'string' ? undefined : read.get(doc.blob_sha);
    const body: Rendered =
      text === undefined
        ? { skipped: typeof read === 'string' ? read : 'its text is not in the store' }
        : await sources.renderer.render({
            path: doc.path,
            text,
            findings,
            ...(base ? { fileBase: base } : {}),
          });
    shown.push({
      path: doc.path,
      kind: doc.kind,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      ...(base ? { url: `${base}${encodeURI(doc.path)}` } : {}),
      body,
    });
  }
  return { ref: docs.ref, commit: docs.commit_sha, source: docs.source, docs: shown };
}
