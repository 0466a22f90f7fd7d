/**
 * Every request and response body of the sync gateway (docs/sync.md). The gateway parses requests
 * with them, the CLI parses responses with them, and `node scripts/gen-schemas.ts` publishes them as
 * schemas/sync.schema.json.
 */
import { z } from 'zod';
import { StageSchema } from '../pipeline/stages.ts';
import { ObjectIdSchema } from '../store/schema.ts';
import {
  PullResultSchema,
  SyncBranchSchema,
  SyncContentSchema,
  SyncProjectSchema,
  SyncRefSchema,
} from '../store/sync-schema.ts';

/** The audience of sync tokens: a token minted for anything else is refused. */
export const SYNC_AUDIENCE = 'idse-sync';

export const TokenRequestSchema = z.strictObject({
  /** An API key created with `idse agency keys create`. */
  key: z.string().min(1).max(500),
  /** Needed when the key is not bound to one project; must match it when it is. */
  project: SyncProjectSchema.optional(),
});
export type TokenRequest = z.infer<typeof TokenRequestSchema>;

export const TokenResponseSchema = z.object({
  token: z.string(),
  token_type: z.literal('Bearer'),
  expires_at: z.string(),
  client_id: z.uuid(),
  project: SyncProjectSchema,
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/** One file of the pushed commit. `path` is checked for safety on its own (error `unsafe-path`). */
export const PushFileSchema = z.strictObject({
  path: z.string().min(1).max(4096),
  blob_sha: ObjectIdSchema,
  /** The file's text; only for blobs the gateway said are missing. */
  content: SyncContentSchema.optional(),
});
export type PushFile = z.infer<typeof PushFileSchema>;

export const PushRequestSchema = z.strictObject({
  /** A fresh uuid per request: one seen before is refused as a replay. */
  request_id: z.uuid(),
  client_id: z.uuid(),
  project: SyncProjectSchema,
  ref: SyncRefSchema,
  commit_sha: ObjectIdSchema,
  /** Committer date: decides which of two pushed commits is the newer. */
  committed_at: z.iso.datetime({ offset: true }),
  /** The commit's first parents, nearest first (up to 100): they order commits of the same second. */
  ancestors: z.array(ObjectIdSchema).max(100).optional(),
  /** The workspace's default branch (e.g. main): the sessions' state is their state on it. */
  default_branch: SyncBranchSchema.optional(),
  /** Every file of the project at the commit (and the config file), with or without content. */
  files: z.array(PushFileSchema).max(50_000),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const RejectedFileSchema = z.object({
  path: z.string(),
  /** `outside-project`, `not-a-workspace-file`; the CLI adds its own (`invalid-utf8`, `too-large`…). */
  code: z.string(),
  message: z.string(),
});
export type RejectedFile = z.infer<typeof RejectedFileSchema>;

export const PushedSessionSchema = z.object({
  project: z.string(),
  session: z.string(),
  stage: StageSchema.optional(),
  errors: z.number().int(),
  warnings: z.number().int(),
});

export const PushResponseSchema = z.discriminatedUnion('status', [
  z.object({
    /** Send these blobs' content (in one or more requests); nothing was recorded yet. */
    status: z.literal('incomplete'),
    missing: z.array(ObjectIdSchema),
    rejected: z.array(RejectedFileSchema),
  }),
  z.object({
    /** The commit is recorded now. */
    status: z.literal('recorded'),
    sync_event_id: z.number().int(),
    /** Paths new or changed against what the agency had current on the ref. */
    accepted: z.array(z.string()),
    unchanged: z.number().int(),
    /** Paths the agency had current and this commit no longer has. */
    removed: z.array(z.string()),
    rejected: z.array(RejectedFileSchema),
    errors: z.number().int(),
    warnings: z.number().int(),
    sessions: z.array(PushedSessionSchema),
  }),
  z.object({
    /** The commit was recorded on this ref before: nothing changed. */
    status: z.literal('duplicate'),
    sync_event_id: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(RejectedFileSchema),
  }),
]);
export type PushResponse = z.infer<typeof PushResponseSchema>;

/** Query string of GET /mcp/sync/pull. */
export const PullQuerySchema = z.strictObject({
  client_id: z.uuid(),
  project: SyncProjectSchema,
  /** Cursor of the last doc applied; 0 (default) for everything. */
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type PullQuery = z.infer<typeof PullQuerySchema>;

/** The store's page of published docs, passed on as it is. */
export const PullResponseSchema = PullResultSchema;
export type PullResponse = z.infer<typeof PullResponseSchema>;

/** The one error shape of every gateway route (src/server/http.ts sendError). */
export const ErrorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** Published in schemas/sync.schema.json under these names; `io` says which side writes them. */
export const SYNC_MESSAGES = {
  TokenRequest: { schema: TokenRequestSchema, io: 'input' },
  TokenResponse: { schema: TokenResponseSchema, io: 'output' },
  PushRequest: { schema: PushRequestSchema, io: 'input' },
  PushResponse: { schema: PushResponseSchema, io: 'output' },
  PullQuery: { schema: PullQuerySchema, io: 'input' },
  PullResponse: { schema: PullResponseSchema, io: 'output' },
  ErrorResponse: { schema: ErrorResponseSchema, io: 'output' },
} as const satisfies Record<string, { schema: z.ZodType; io: 'input' | 'output' }>;
