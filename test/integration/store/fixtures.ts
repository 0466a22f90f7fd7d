/**
 * Test data: tenants (a GitHub account with an installation and a repository) and validation payloads,
 * with ids unique within the process so tests sharing one database never touch each other's rows.
 */
import { createHash } from 'node:crypto';
import { gitBlobId } from '../../../src/model/blob-id.ts';
import type {
  InstallationEvent,
  MirroredArtifact,
  MirroredSession,
  ValidationMirror,
} from '../../../src/store/schema.ts';

let counter = 0;
const unique = () => {
  counter += 1;
  return counter;
};

/** A deterministic fake commit id. */
export const commitSha = (label: string) => createHash('sha1').update(`commit ${label}`).digest('hex');

export interface Tenant {
  label: string;
  installationId: number;
  accountId: number;
  login: string;
  repo: { id: number; full_name: string; default_branch: string };
  installation(overrides?: Partial<InstallationEvent>): InstallationEvent;
  delivery(name: string): string;
}

export function tenant(label = 'acme'): Tenant {
  const n = unique();
  const login = `${label}-${n}`;
  const t: Tenant = {
    label,
    installationId: 10_000 + n,
    accountId: 20_000 + n,
    login,
    repo: { id: 30_000 + n * 10, full_name: `${login}/docs`, default_branch: 'main' },
    installation: (overrides = {}) => ({
      delivery_id: t.delivery('installation'),
      action: 'created',
      installation_id: t.installationId,
      account: { id: t.accountId, login, type: 'Organization' },
      repositories_added: [t.repo],
      ...overrides,
    }),
    delivery: (name) => `${login}-${name}`,
  };
  return t;
}

export interface DocSpec {
  path: string;
  content: string;
  project?: string;
  session?: string;
  kind?: string;
  diagnostics?: { code: string; severity: 'error' | 'warning' | 'info' }[];
}

/** An artifact whose blob_sha is git's id of `content`, as the App and the CLI compute it. */
export async function artifact(doc: DocSpec): Promise<MirroredArtifact> {
  return {
    path: doc.path,
    kind: doc.kind ?? 'intent',
    blob_sha: gitBlobId(new TextEncoder().encode(doc.content)),
    project: doc.project ?? null,
    session: doc.session ?? null,
    summary: { bytes: doc.content.length },
    diagnostics: (doc.diagnostics ?? []).map((d, i) => ({
      code: d.code,
      rule: 'some-rule',
      severity: d.severity,
      message: `finding ${i + 1}`,
      file: doc.path,
    })),
  };
}

export function session(
  project: string,
  name: string,
  fields: Partial<MirroredSession> = {},
): MirroredSession {
  return { project, session: name, stage: 'intent', status: 'draft', errors: 0, warnings: 0, ...fields };
}

export function mirror(
  t: Tenant,
  fields: {
    delivery: string;
    commit: string;
    /** Committer date, e.g. '2026-03-01T10:00:00Z'. */
    at: string;
    ref?: string;
    artifacts?: MirroredArtifact[];
    removed_paths?: string[];
    sessions?: MirroredSession[];
  },
): ValidationMirror {
  return {
    delivery_id: t.delivery(fields.delivery),
    installation_id: t.installationId,
    repository: t.repo,
    ref: fields.ref ?? 'refs/heads/main',
    commit_sha: commitSha(fields.commit),
    committed_at: fields.at,
    artifacts: fields.artifacts ?? [],
    removed_paths: fields.removed_paths ?? [],
    sessions: fields.sessions ?? [],
  };
}

export const TENANT_TABLES = [
  'clients',
  'installations',
  'repositories',
  'projects',
  'sessions',
  'session_states',
  'sync_events',
  'artifacts',
  'artifact_refs',
  'analytics',
  'api_keys',
  'sync_blobs',
  'sync_requests',
  'published_docs',
  'session_weeks',
  'dashboard_signouts',
] as const;
export type TenantTable = (typeof TENANT_TABLES)[number];
/** Tables of no tenant (RLS on and forced, no policy): only the service role. */
export const SHARED_TABLES = ['doc_facts', 'blob_texts'] as const;
/** Operational tables no tenant may read, even its own rows: only the service role. */
export const SERVICE_ONLY_TABLES: ReadonlySet<string> = new Set<TenantTable>([
  'api_keys',
  'dashboard_signouts',
]);
