/**
 * What an agency admin reads across clients (the App's /dashboard, `idse agency …`), and archiving.
 * Each method is one SQL function call (supabase/schemas/80_agency.sql). A scope
 * names at most one client, project and session; `clientId` confines every read to that client, which
 * is how a client's own admin is kept to its rows even though the store itself runs as service role.
 */
import { z } from 'zod';
import { parseInput, type StoreCall } from './call.ts';

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const ClientId = z.uuid();
const Count = z.number().int();
const Timestamp = z.string();

export const ViewOptionsSchema = z.object({
  /** Only this client's rows. */
  clientId: ClientId.optional(),
  /** Show archived projects and sessions too. */
  withArchived: z.boolean().default(false),
});
export type ViewOptions = z.input<typeof ViewOptionsSchema>;

export const SessionsOptionsSchema = ViewOptionsSchema.extend({ projectId: Id.optional() });
export type SessionsOptions = z.input<typeof SessionsOptionsSchema>;

export const RunsOptionsSchema = z.object({
  sessionId: Id,
  clientId: ClientId.optional(),
  /** Only the runs on this ref (`refs/heads/…`, `refs/pull/…`). */
  ref: z.string().min(1).max(500).optional(),
  limit: z.number().int().min(1).max(1000).default(50),
});
export type RunsOptions = z.input<typeof RunsOptionsSchema>;

export const BranchesOptionsSchema = z.object({ sessionId: Id, clientId: ClientId.optional() });
export type BranchesOptions = z.input<typeof BranchesOptionsSchema>;

export const DocsOptionsSchema = BranchesOptionsSchema.extend({
  /** The docs current on this ref; default the ref of the session's state (its default branch). */
  ref: z.string().min(1).max(500).optional(),
});
export type DocsOptions = z.input<typeof DocsOptionsSchema>;

export const MetricsOptionsSchema = ViewOptionsSchema.extend({
  projectId: Id.optional(),
  sessionId: Id.optional(),
  /** First day of the weekly series (YYYY-MM-DD); default 51 weeks before the current one. */
  since: z.iso.date().optional(),
});
export type MetricsOptions = z.input<typeof MetricsOptionsSchema>;

export const ArchiveTargetSchema = z.object({
  /** owner/name, any case. */
  repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name'),
  project: z.string().min(1).max(500),
  /** A session of the project; without it the project itself. */
  session: z.string().min(1).max(500).optional(),
  archived: z.boolean(),
  /** Needed only when two clients have a repository of that name. */
  client_id: ClientId.optional(),
});
export type ArchiveTarget = z.input<typeof ArchiveTargetSchema>;

/**
 * Counts over the sessions in view, shared by every list row and a page's "now": sessions, those with
 * a validated state, those whose state has no errors (compliance), requirements and those aligned
 * (spec-to-code alignment), open markers, runs and passing runs, newest run.
 */
export const ViewCountsSchema = z.object({
  sessions: Count,
  validated: Count,
  compliant: Count,
  requirements: Count,
  aligned: Count,
  open_markers: Count,
  runs: Count,
  passed_runs: Count,
  last_run_at: Timestamp.nullable(),
});
export type ViewCounts = z.infer<typeof ViewCountsSchema>;

export const AgencyClientSchema = ViewCountsSchema.extend({
  client_id: ClientId,
  client: z.string(),
  repositories: Count,
  projects: Count,
});
export type AgencyClient = z.infer<typeof AgencyClientSchema>;

export const AgencyProjectSchema = ViewCountsSchema.extend({
  project_id: Id,
  client_id: ClientId,
  client: z.string(),
  repository: z.string(),
  project: z.string(),
  archived_at: Timestamp.nullable(),
});
export type AgencyProject = z.infer<typeof AgencyProjectSchema>;

export const AgencySessionSchema = ViewCountsSchema.extend({
  session_id: Id,
  client_id: ClientId,
  repository: z.string(),
  project_id: Id,
  project: z.string(),
  session: z.string(),
  stage: z.string().nullable(),
  status: z.string().nullable(),
  /** Of the latest state; null before the session's first validation. */
  errors: Count.nullable(),
  warnings: Count.nullable(),
  ref: z.string().nullable(),
  commit_sha: z.string().nullable(),
  archived_at: Timestamp.nullable(),
});
export type AgencySession = z.infer<typeof AgencySessionSchema>;

export const AgencyRunSchema = z.object({
  sync_event_id: Id,
  ref: z.string(),
  commit_sha: z.string(),
  committed_at: Timestamp,
  stage: z.string().nullable(),
  errors: Count,
  warnings: Count,
  markers: Count.nullable(),
  passed: z.boolean(),
  rules: z.record(z.string(), Count),
});
export type AgencyRun = z.infer<typeof AgencyRunSchema>;

/** A session's latest state on one ref. */
export const AgencyBranchSchema = z.object({
  ref: z.string(),
  /** The repository's default branch: this state is the session's. */
  default: z.boolean(),
  commit_sha: z.string(),
  committed_at: Timestamp,
  stage: z.string().nullable(),
  status: z.string().nullable(),
  errors: Count,
  warnings: Count,
  markers: Count.nullable(),
  /** Validation runs on this ref. */
  runs: Count,
});
export type AgencyBranch = z.infer<typeof AgencyBranchSchema>;

/** A session's docs current on one ref, and where their text is. */
export const AgencyDocsSchema = z.object({
  repository_id: z.number().int(),
  repository: z.string(),
  /** GitHub repositories: the installation the App reads their blobs with. */
  installation_id: z.number().int().nullable(),
  source: z.enum(['github', 'sync']),
  /** Null when the session has no state yet (pushed on branches only). */
  ref: z.string().nullable(),
  commit_sha: z.string().nullable(),
  docs: z.array(
    z.object({
      path: z.string(),
      kind: z.string().nullable(),
      blob_sha: z.string(),
      diagnostics: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
});
export type AgencyDocs = z.infer<typeof AgencyDocsSchema>;

export const AgencyScopeSchema = z.object({
  client_id: ClientId.optional(),
  client: z.string().optional(),
  repository: z.string().optional(),
  project_id: Id.optional(),
  project: z.string().optional(),
  session_id: Id.optional(),
  session: z.string().optional(),
  /** The scope itself is archived (its contents are then shown, archived or not). */
  archived: z.boolean(),
});
export type AgencyScope = z.infer<typeof AgencyScopeSchema>;

const EpochSeconds = z.number().int().nullable();

export const AgencyMetricsSchema = z.object({
  scope: AgencyScopeSchema,
  /** First week of the series (YYYY-MM-DD, a Monday). */
  since: z.string(),
  now: ViewCountsSchema,
  /** Sessions in view by their current stage. */
  stages: z.record(z.string(), Count),
  /** Current findings by rule code, over the sessions in view. */
  rules: z.record(z.string(), Count),
  /**
   * Per session: [first run, first passing run, then when it first reached intent, context, …,
   * feedback] in epoch seconds; null for a stage not reached yet (stages are reached in order, so the
   * nulls come last).
   */
  timelines: z.array(z.array(EpochSeconds)),
  /** Every ISO week from `since` to the current one. */
  weeks: z.array(z.object({ week: z.string(), runs: Count, passed_runs: Count, open_markers: Count })),
});
export type AgencyMetrics = z.infer<typeof AgencyMetricsSchema>;

export const ArchiveResultSchema = z.object({
  kind: z.enum(['project', 'session']),
  client_id: ClientId,
  repository: z.string(),
  project: z.string(),
  session: z.string().optional(),
  project_id: Id.optional(),
  session_id: Id.optional(),
  /** Null once brought back. */
  archived_at: Timestamp.nullable(),
});
export type ArchiveResult = z.infer<typeof ArchiveResultSchema>;

export interface AgencyStore {
  agencyClients(options?: ViewOptions): Promise<AgencyClient[]>;
  agencyProjects(options?: ViewOptions): Promise<AgencyProject[]>;
  /** Sessions of one project (archived ones too when the project itself is archived), or all. */
  agencySessions(options?: SessionsOptions): Promise<AgencySession[]>;
  /** The newest runs of one session (on one ref, when given), newest first. */
  agencyRuns(options: RunsOptions): Promise<AgencyRun[]>;
  /** A session's state on every ref it was validated on, the default branch first. */
  agencyBranches(options: BranchesOptions): Promise<AgencyBranch[]>;
  /** A session's docs current on a ref, with their findings; null when it is not there (or not the client's). */
  agencyDocs(options: DocsOptions): Promise<AgencyDocs | null>;
  /** The chart data of one scope; null when it doesn't exist or lies outside `clientId`. */
  agencyMetrics(options?: MetricsOptions): Promise<AgencyMetrics | null>;
  /** Archive (or bring back) a project or session; null when there is no such thing. */
  setArchived(target: ArchiveTarget): Promise<ArchiveResult | null>;
}

export function agencyMethods(call: StoreCall): AgencyStore {
  return {
    async agencyClients(options = {}) {
      const o = parseInput(ViewOptionsSchema, options, 'list clients');
      const args = { for_client: o.clientId, with_archived: o.withArchived };
      return call('list clients', 'agency_clients', args, AgencyClientSchema.array());
    },
    async agencyProjects(options = {}) {
      const o = parseInput(ViewOptionsSchema, options, 'list projects');
      const args = { for_client: o.clientId, with_archived: o.withArchived };
      return call('list projects', 'agency_projects', args, AgencyProjectSchema.array());
    },
    async agencySessions(options = {}) {
      const o = parseInput(SessionsOptionsSchema, options, 'list sessions');
      const args = { for_client: o.clientId, for_project: o.projectId, with_archived: o.withArchived };
      return call('list sessions', 'agency_sessions', args, AgencySessionSchema.array());
    },
    async agencyRuns(options) {
      const o = parseInput(RunsOptionsSchema, options, 'list runs');
      const args = { for_session: o.sessionId, for_client: o.clientId, max_runs: o.limit, for_ref: o.ref };
      return call('list runs', 'agency_runs', args, AgencyRunSchema.array());
    },
    async agencyBranches(options) {
      const o = parseInput(BranchesOptionsSchema, options, 'list branches');
      const args = { for_session: o.sessionId, for_client: o.clientId };
      return call('list branches', 'agency_branches', args, AgencyBranchSchema.array());
    },
    async agencyDocs(options) {
      const o = parseInput(DocsOptionsSchema, options, 'list docs');
      const args = { for_session: o.sessionId, for_client: o.clientId, for_ref: o.ref };
      return call('list docs', 'agency_docs', args, AgencyDocsSchema.nullable());
    },
    async agencyMetrics(options = {}) {
      const o = parseInput(MetricsOptionsSchema, options, 'read metrics');
      const args = {
        for_client: o.clientId,
        for_project: o.projectId,
        for_session: o.sessionId,
        since: o.since,
        with_archived: o.withArchived,
      };
      return call('read metrics', 'agency_metrics', args, AgencyMetricsSchema.nullable());
    },
    async setArchived(target) {
      const input = parseInput(ArchiveTargetSchema, target, 'archive');
      return call('archive', 'agency_set_archived', { target: input }, ArchiveResultSchema.nullable());
    },
  };
}
