/**
 * The documents the sync methods of the store accept and return (snake_case, passed unchanged to the
 * SQL functions in supabase/schemas/60_sync.sql). Fields and documents the sync
 * protocol carries as they are (project, ref, path, content, a page of published docs) are the
 * protocol's (src/sync/protocol.ts).
 */
import { z } from 'zod';
import {
  PublishedKindSchema,
  SyncBranchSchema,
  SyncContentSchema,
  SyncPathSchema,
  SyncProjectSchema,
  SyncRefSchema,
  SyncRequestFields,
} from '../sync/protocol.ts';
import { MirroredArtifactSchema, MirroredSessionSchema, ObjectIdSchema } from './schema.ts';

/** A synced workspace's repository id: negative, so it never collides with a GitHub id. */
const SyncRepositoryId = z.number().int().negative();

export const SyncBlobSchema = z.object({ blob_sha: ObjectIdSchema, content: SyncContentSchema });
export type SyncBlob = z.infer<typeof SyncBlobSchema>;

export const SyncPrepareInputSchema = z.object({
  ...SyncRequestFields,
  /** Every blob the commit's files need. */
  blob_shas: z.array(ObjectIdSchema),
  /** Contents this request carries (hashes checked by the caller). */
  blobs: z.array(SyncBlobSchema).default([]),
});
export type SyncPrepareInput = z.input<typeof SyncPrepareInputSchema>;

export const SyncPrepareResultSchema = z.discriminatedUnion('replayed', [
  z.object({ replayed: z.literal(true) }),
  z.object({
    replayed: z.literal(false),
    repository_id: SyncRepositoryId,
    /** The commit is already recorded on this ref: nothing more to do. */
    recorded: z.boolean(),
    sync_event_id: z.number().int().nullable(),
    /** Blobs of this request that were new. */
    stored: z.number().int(),
    /** Blob SHAs of `blob_shas` the store still lacks, sorted. */
    missing: z.array(ObjectIdSchema),
  }),
]);
export type SyncPrepareResult = z.infer<typeof SyncPrepareResultSchema>;

export const SyncLookupInputSchema = SyncPrepareInputSchema.omit({ blobs: true }).extend({
  /** Blob SHAs whose contents the request carries: not missing, though not stored yet. */
  given_shas: z.array(ObjectIdSchema).default([]),
});
export type SyncLookupInput = z.input<typeof SyncLookupInputSchema>;

export const SyncLookupResultSchema = z.discriminatedUnion('replayed', [
  z.object({ replayed: z.literal(true) }),
  z.object({
    replayed: z.literal(false),
    /** The client's synced workspace for the project; null until its first accepted request. */
    repository_id: SyncRepositoryId.nullable(),
    recorded: z.boolean(),
    sync_event_id: z.number().int().nullable(),
    /** Blob SHAs of `blob_shas` neither stored nor given, sorted. */
    missing: z.array(ObjectIdSchema),
  }),
]);
export type SyncLookupResult = z.infer<typeof SyncLookupResultSchema>;

export const SyncCollectInputSchema = z.object({ client_id: z.uuid(), repository_id: SyncRepositoryId });
export type SyncCollectInput = z.input<typeof SyncCollectInputSchema>;

export const SyncBlobsInputSchema = z.object({
  client_id: z.uuid(),
  repository_id: SyncRepositoryId,
  blob_shas: z.array(ObjectIdSchema),
});
export type SyncBlobsInput = z.input<typeof SyncBlobsInputSchema>;

export const SyncPushInputSchema = z.object({
  client_id: z.uuid(),
  repository_id: SyncRepositoryId,
  ref: SyncRefSchema,
  commit_sha: ObjectIdSchema,
  committed_at: z.iso.datetime({ offset: true }),
  /**
   * The commit's first-parent ancestors the client knows (nearest first): a current commit among them
   * is replaced even when it has the same committer second (or a later one, under clock skew).
   */
  ancestors: z.array(ObjectIdSchema).max(1000).default([]),
  /** The workspace's default branch (no refs/heads/), when the client knows it: the sessions' state is theirs there. */
  default_branch: SyncBranchSchema.optional(),
  /** Every file of the project at the commit; a path current before and missing here is removed. */
  artifacts: z.array(MirroredArtifactSchema.extend({ path: SyncPathSchema })),
  sessions: z.array(MirroredSessionSchema).default([]),
});
export type SyncPushInput = z.input<typeof SyncPushInputSchema>;

export const SyncPushResultSchema = z.object({
  /** The commit was recorded on this ref before: nothing was written. */
  duplicate: z.boolean(),
  sync_event_id: z.number().int(),
  client_id: z.string(),
  repository_id: z.number().int(),
  /** Paths whose blob differs from the ref's current one (new or changed files). */
  accepted: z.array(z.string()),
  /** Files that were already current as they are. */
  unchanged: z.number().int(),
  /** Paths current on the ref before and absent from this commit. */
  removed: z.array(z.string()),
  current_changed: z.number().int(),
  sessions: z.number().int(),
});
export type SyncPushResult = z.infer<typeof SyncPushResultSchema>;

export const PublishDocInputSchema = z.object({
  client_id: z.uuid(),
  /** Null or absent: every project of the client. */
  project: SyncProjectSchema.nullish(),
  path: SyncPathSchema,
  kind: PublishedKindSchema,
  content: SyncContentSchema,
});
export type PublishDocInput = z.input<typeof PublishDocInputSchema>;

export const PublishResultSchema = z.object({
  /** The pull cursor of this doc. */
  id: z.number().int(),
  /** The same content was already the latest published for this path: nothing was written. */
  duplicate: z.boolean(),
  published_at: z.string(),
});
export type PublishResult = z.infer<typeof PublishResultSchema>;

export const PullInputSchema = z.object({
  client_id: z.uuid(),
  project: SyncProjectSchema,
  /** Cursor of the last doc already pulled; 0 for everything. */
  since: z.number().int().min(0).default(0),
  max_docs: z.number().int().min(1).max(1000).default(500),
});
export type PullInput = z.input<typeof PullInputSchema>;
