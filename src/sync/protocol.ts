/**
 * The sync protocol: every request and response body of the sync gateway (docs/sync.md) and the
 * fields they are made of. The gateway parses requests with them, the CLI parses responses with
 * them, the store's sync documents reuse the fields, and `node scripts/gen-schemas.ts` publishes
 * them as schemas/sync.schema.json.
 */
import { z } from 'zod';
import { StageSchema } from '../pipeline/stage-schemas.ts';
import { ObjectIdSchema } from '../store/schema.ts';
import { pathProblem } from './paths.ts';

/** A project is one folder name under projects/: no slashes, no control characters, not . or .. */
export const SyncProjectSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects.
    /^(?!\.{1,2}$)[^/\\\u0000-\u001f\u007f]+$/,
    'a project name is one folder name (no slashes or control characters, not . or ..)',
  );

/** A workspace-relative POSIX path that stays inside the workspace (see paths.ts). */
export const SyncPathSchema = z.string().superRefine((path, ctx) => {
  const problem = pathProblem(path);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Text Postgres can store: a NUL character is the one thing text and jsonb refuse. */
export const SyncContentSchema = z
  .string()
  .max(64 * 1024 * 1024)
  .refine((text) => !text.includes('\u0000'), 'the content contains a NUL character');

export const SyncRefSchema = z
  .string()
  .max(500)
  .regex(/^refs\/\S+$/, 'expected a full ref name such as refs/heads/main');

/** A branch name as git allows it (no refs/heads/ prefix, no spaces or control characters). */
export const SyncBranchSchema = z
  .string()
  .max(250)
  .regex(/^(?!refs\/)[^\s\\~^:?*[\p{Cc}]+$/u, 'expected a branch name such as main');

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

/** Which commit of which client's project a sync request is about, and the request's own id. */
export const SyncRequestFields = {
  /** A fresh uuid per request: one seen before is refused as a replay. */
  request_id: z.uuid(),
  client_id: z.uuid(),
  project: SyncProjectSchema,
  ref: SyncRefSchema,
  commit_sha: ObjectIdSchema,
};

export const PushRequestSchema = z.strictObject({
  ...SyncRequestFields,
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

export const PublishedKindSchema = z.enum(['constitution', 'template', 'feedback', 'doc']);
export type PublishedKind = z.infer<typeof PublishedKindSchema>;

export const PublishedDocSchema = z.object({
  id: z.number().int(),
  project: z.string().nullable(),
  path: z.string(),
  kind: PublishedKindSchema,
  content: z.string(),
  blob_sha: ObjectIdSchema,
  published_at: z.string(),
});
export type PublishedDoc = z.infer<typeof PublishedDocSchema>;

/** A page of published docs: the store's answer, passed on as it is. */
export const PullResponseSchema = z.object({
  docs: z.array(PublishedDocSchema),
  /** Pass as `since` next time. */
  cursor: z.number().int(),
  /** More docs wait after this page. */
  more: z.boolean(),
});
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
