/**
 * The documents the store accepts and returns. They use the database's snake_case so they pass to the
 * SQL functions unchanged (as one jsonb argument) on every backend, including Supabase rpc.
 */
import { z } from 'zod';
import { DiagnosticSchema } from '../diagnostics.ts';
import { StageSchema } from '../pipeline/stage-schemas.ts';

/** A GitHub numeric id (installation, repository, account); JSON numbers are exact up to 2^53. */
const GitHubId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** A git object id: SHA-1 (40 hex digits) or SHA-256 (64). Lower case, as git prints them. */
export const ObjectIdSchema = z
  .string()
  .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'expected a git object id (40 or 64 lower-case hex digits)');
const Name = z.string().min(1).max(500);
const DeliveryId = z.string().min(1).max(200);

export const RepositorySchema = z.object({
  id: GitHubId,
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name'),
  /** Branch name without refs/heads/; the summary prefers a session's state on it. */
  default_branch: z.string().min(1).optional(),
});
export type Repository = z.infer<typeof RepositorySchema>;

export const InstallationActionSchema = z.enum([
  'created',
  'deleted',
  'suspend',
  'unsuspend',
  'new_permissions_accepted',
  'added',
  'removed',
]);

/** `installation` and `installation_repositories` webhooks, reduced to what the store keeps. */
export const InstallationEventSchema = z.object({
  delivery_id: DeliveryId,
  action: InstallationActionSchema,
  installation_id: GitHubId,
  account: z.object({
    id: GitHubId,
    login: Name,
    type: z.enum(['Organization', 'User', 'Enterprise']).default('Organization'),
  }),
  repositories_added: z.array(RepositorySchema).default([]),
  repositories_removed: z.array(RepositorySchema.pick({ id: true, full_name: true })).default([]),
});
export type InstallationEvent = z.input<typeof InstallationEventSchema>;

export const MirroredArtifactSchema = z.object({
  /** Repository-relative POSIX path. */
  path: z.string().min(1).max(4096),
  /** Doc kind (intent, spec, …) or another label for non-doc files. */
  kind: z.string().min(1).max(100),
  blob_sha: ObjectIdSchema,
  project: Name.nullish(),
  session: Name.nullish(),
  summary: z.record(z.string(), z.unknown()).default({}),
  diagnostics: z.array(DiagnosticSchema).default([]),
});
export type MirroredArtifact = z.input<typeof MirroredArtifactSchema>;

export const MirroredSessionSchema = z.object({
  project: Name,
  session: Name,
  stage: StageSchema.nullish(),
  status: z.string().max(100).nullish(),
  errors: z.number().int().min(0),
  warnings: z.number().int().min(0),
  /**
   * The report's coverage counts (requirements, withTasks, …). Kept as given: the store doesn't read
   * them, so the report may add counts without a store change.
   */
  coverage: z.record(z.string(), z.number().int().min(0)).optional(),
  /** Open `[REQUIRES INPUT]` markers in the session's docs (the open-markers trend). */
  markers: z.number().int().min(0).optional(),
  /** Findings per rule code; when omitted the store counts the artifacts' diagnostics. */
  rules: z.record(z.string().regex(/^IDSE\d{3}$/), z.number().int().min(0)).optional(),
});
export type MirroredSession = z.input<typeof MirroredSessionSchema>;

/** One validation run of one commit, as the App (or a CLI sync) mirrors it. */
export const ValidationMirrorSchema = z
  .object({
    delivery_id: DeliveryId,
    installation_id: GitHubId,
    repository: RepositorySchema,
    /** Full ref name: refs/heads/main, refs/pull/7/head. */
    ref: z.string().regex(/^refs\/\S+$/, 'expected a full ref name such as refs/heads/main'),
    commit_sha: ObjectIdSchema,
    /** Committer date of commit_sha: decides which of two deliveries is newer. */
    committed_at: z.iso.datetime({ offset: true }),
    artifacts: z.array(MirroredArtifactSchema).default([]),
    /** Paths deleted by this commit (tombstoned on the ref). */
    removed_paths: z.array(z.string().min(1).max(4096)).default([]),
    sessions: z.array(MirroredSessionSchema).default([]),
  })
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    const paths = [...value.artifacts.map((a) => a.path), ...value.removed_paths];
    paths.forEach((path, index) => {
      if (seen.has(path)) {
        ctx.addIssue({
          code: 'custom',
          message: `path ${path} is listed more than once`,
          path: ['paths', index],
        });
      }
      seen.add(path);
    });
    const sessions = new Set<string>();
    value.sessions.forEach((s, index) => {
      const key = `${s.project}/${s.session}`;
      if (sessions.has(key)) {
        ctx.addIssue({
          code: 'custom',
          message: `session ${key} is listed more than once`,
          path: ['sessions', index],
        });
      }
      sessions.add(key);
    });
    value.artifacts.forEach((a, index) => {
      if (a.session && !a.project) {
        ctx.addIssue({
          code: 'custom',
          message: 'an artifact with a session needs its project',
          path: ['artifacts', index],
        });
      }
    });
  });
export type ValidationMirror = z.input<typeof ValidationMirrorSchema>;

export const InstallationResultSchema = z.object({
  duplicate: z.boolean(),
  sync_event_id: z.number().int(),
  client_id: z.string(),
  installation_id: z.number().int(),
  repositories_added: z.number().int(),
  repositories_removed: z.number().int(),
});
export type InstallationResult = z.infer<typeof InstallationResultSchema>;

export const ValidationResultSchema = z.object({
  duplicate: z.boolean(),
  sync_event_id: z.number().int(),
  client_id: z.string(),
  repository_id: z.number().int(),
  /** Artifacts in the payload. */
  artifacts: z.number().int(),
  /** Current pointers created or moved on the ref (0 when the commit is older than what is current). */
  current_changed: z.number().int(),
  /** Sessions with an analytics row for this run. */
  sessions: z.number().int(),
});
export type ValidationResult = z.infer<typeof ValidationResultSchema>;

export const SessionStatusSchema = z.object({
  repository_id: z.number().int(),
  repository: z.string(),
  project: z.string(),
  session: z.string(),
  /** Null when the session was seen in artifacts but never validated as a session. */
  ref: z.string().nullable(),
  commit_sha: z.string().nullable(),
  committed_at: z.string().nullable(),
  stage: z.string().nullable(),
  status: z.string().nullable(),
  errors: z.number().int().nullable(),
  warnings: z.number().int().nullable(),
  coverage: z.record(z.string(), z.unknown()).nullable(),
  runs: z.number().int(),
  passed_runs: z.number().int(),
  pass_rate: z.number().nullable(),
});
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

export const ClientSummarySchema = z.object({
  client_id: z.string().nullable(),
  runs: z.number().int(),
  passed_runs: z.number().int(),
  /** passed_runs / runs, 4 decimals; null before the first run. */
  pass_rate: z.number().nullable(),
  sessions: z.array(SessionStatusSchema),
});
export type ClientSummary = z.infer<typeof ClientSummarySchema>;
