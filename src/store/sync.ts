/**
 * The sync gateway's store methods: synced workspaces (client repos that are not on GitHub) push
 * commits through them, and the agency publishes docs for clients to pull. One SQL function each.
 */
import { z } from 'zod';
import { gitBlobId } from '../model/blob-id.ts';
import { type PullResponse, PullResponseSchema } from '../sync/protocol.ts';
import { parseInput, type StoreCall } from './call.ts';
import {
  type PublishDocInput,
  PublishDocInputSchema,
  type PublishResult,
  PublishResultSchema,
  type PullInput,
  PullInputSchema,
  type SyncBlob,
  SyncBlobSchema,
  type SyncBlobsInput,
  SyncBlobsInputSchema,
  type SyncCollectInput,
  SyncCollectInputSchema,
  type SyncLookupInput,
  SyncLookupInputSchema,
  type SyncLookupResult,
  SyncLookupResultSchema,
  type SyncPrepareInput,
  SyncPrepareInputSchema,
  type SyncPrepareResult,
  SyncPrepareResultSchema,
  type SyncPushInput,
  SyncPushInputSchema,
  type SyncPushResult,
  SyncPushResultSchema,
} from './sync-schema.ts';

export interface SyncStore {
  /** What syncPrepare would answer, writing nothing: the gateway validates before anything is kept. */
  syncLookup(input: SyncLookupInput): Promise<SyncLookupResult>;
  /**
   * Claims the request id (a replay answers `replayed: true` and writes nothing), finds or creates the
   * client's synced workspace for the project, stores the blobs given and says which are missing.
   */
  syncPrepare(input: SyncPrepareInput): Promise<SyncPrepareResult>;
  /** Deletes a synced workspace's blobs a day old that no doc version uses; returns how many. */
  syncCollectBlobs(input: SyncCollectInput): Promise<number>;
  /** Stored contents of the given blobs of one synced workspace. */
  syncBlobs(input: SyncBlobsInput): Promise<SyncBlob[]>;
  /** Records a validated commit of a synced workspace; the same commit on the same ref again is a no-op. */
  recordSyncPush(input: SyncPushInput): Promise<SyncPushResult>;
  /** Publishes a doc for a client (its blob SHA computed here); republishing the latest is a no-op. */
  publishDoc(input: PublishDocInput): Promise<PublishResult>;
  /** What was published for a client's project after a cursor. */
  pullPublished(input: PullInput): Promise<PullResponse>;
}

export function syncMethods(call: StoreCall): SyncStore {
  return {
    async syncLookup(input) {
      const request = parseInput(SyncLookupInputSchema, input, 'look up sync push');
      return call('look up sync push', 'sync_lookup', { request }, SyncLookupResultSchema);
    },
    async syncCollectBlobs(input) {
      const request = parseInput(SyncCollectInputSchema, input, 'collect synced blobs');
      return call('collect synced blobs', 'sync_collect_blobs', { request }, z.number().int());
    },
    async syncPrepare(input) {
      const request = parseInput(SyncPrepareInputSchema, input, 'prepare sync push');
      return call('prepare sync push', 'sync_prepare', { request }, SyncPrepareResultSchema);
    },
    async syncBlobs(input) {
      const request = parseInput(SyncBlobsInputSchema, input, 'read synced blobs');
      return call('read synced blobs', 'sync_blob_contents', { request }, SyncBlobSchema.array());
    },
    async recordSyncPush(input) {
      const payload = parseInput(SyncPushInputSchema, input, 'record sync push');
      return call('record sync push', 'record_sync_push', { payload }, SyncPushResultSchema);
    },
    async publishDoc(input) {
      const doc = parseInput(PublishDocInputSchema, input, 'publish doc');
      const blob_sha = gitBlobId(new TextEncoder().encode(doc.content));
      return call('publish doc', 'publish_doc', { doc: { ...doc, blob_sha } }, PublishResultSchema);
    },
    async pullPublished(input) {
      const request = parseInput(PullInputSchema, input, 'pull published docs');
      return call('pull published docs', 'pull_published', { request }, PullResponseSchema);
    },
  };
}
