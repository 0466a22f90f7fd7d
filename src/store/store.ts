/**
 * The Store: the one interface faces use, whatever the backend. Inputs are validated here (zod) before
 * anything reaches the database, so a bad payload writes nothing; each write is one SQL function call,
 * hence one transaction. Every failure leaves as a StoreError.
 */
import { z } from 'zod';
import { type AgencyStore, agencyMethods } from './agency.ts';
import { parseInput, storeCaller } from './call.ts';
import type { CallFunction } from './functions.ts';
import { type KeyStore, keyMethods } from './keys.ts';
import {
  type ClaimOptions,
  ClaimOptionsSchema,
  type ClientSummary,
  ClientSummarySchema,
  type EnqueueResult,
  EnqueueResultSchema,
  type FailResult,
  FailResultSchema,
  type InstallationEvent,
  InstallationEventSchema,
  type InstallationResult,
  InstallationResultSchema,
  type OutboxJob,
  type OutboxJobInput,
  OutboxJobInputSchema,
  OutboxJobSchema,
  type ValidationMirror,
  ValidationMirrorSchema,
  type ValidationResult,
  ValidationResultSchema,
} from './schema.ts';

export type StoreBackend = 'pglite' | 'postgres' | 'supabase';

export interface Store extends KeyStore, AgencyStore {
  readonly backend: StoreBackend;
  /** installation / installation_repositories webhook → client, installation, repositories. */
  recordInstallation(event: InstallationEvent): Promise<InstallationResult>;
  /** Mirror one validation run; a delivery id seen before returns `duplicate: true` and writes nothing. */
  recordValidation(payload: ValidationMirror): Promise<ValidationResult>;
  /** Latest state and pass rate of every session of a client. */
  clientSummary(clientId: string): Promise<ClientSummary>;
  enqueueOutbox(job: OutboxJobInput): Promise<EnqueueResult>;
  /** Lease up to `limit` due jobs to `worker`; other workers skip them until the lease ends. */
  claimOutbox(options: ClaimOptions): Promise<OutboxJob[]>;
  /** False when `worker` no longer holds the job (lease expired and someone else took it). */
  completeOutbox(jobId: number, worker: string): Promise<boolean>;
  failOutbox(jobId: number, worker: string, reason: string, retrySeconds?: number): Promise<FailResult>;
  close(): Promise<void>;
}

/** What a backend provides: a way to call the SQL functions, and to let go of its resources. */
export interface StoreTransport {
  backend: StoreBackend;
  call: CallFunction;
  close(): Promise<void>;
}

export function createStore(transport: StoreTransport): Store {
  const call = storeCaller(transport);
  return {
    backend: transport.backend,
    ...keyMethods(call),
    ...agencyMethods(call),
    async recordInstallation(event) {
      const input = parseInput(InstallationEventSchema, event, 'record installation');
      return call('record installation', 'upsert_installation', { event: input }, InstallationResultSchema);
    },
    async recordValidation(payload) {
      const input = parseInput(ValidationMirrorSchema, payload, 'record validation');
      return call('record validation', 'record_validation', { payload: input }, ValidationResultSchema);
    },
    async clientSummary(clientId) {
      const id = parseInput(ClientIdSchema, clientId, 'client summary');
      return call('client summary', 'client_summary', { for_client: id }, ClientSummarySchema);
    },
    async enqueueOutbox(job) {
      const input = parseInput(OutboxJobInputSchema, job, 'enqueue outbox job');
      return call('enqueue outbox job', 'enqueue_outbox', { job: input }, EnqueueResultSchema);
    },
    async claimOutbox(options) {
      const o = parseInput(ClaimOptionsSchema, options, 'claim outbox jobs');
      const args = { worker: o.worker, max_jobs: o.limit, lease_seconds: o.leaseSeconds };
      return call('claim outbox jobs', 'claim_outbox', args, OutboxJobSchema.array());
    },
    async completeOutbox(jobId, worker) {
      const args = { job_id: parseInput(JobIdSchema, jobId, 'complete outbox job'), worker };
      return call('complete outbox job', 'complete_outbox', args, BooleanSchema);
    },
    async failOutbox(jobId, worker, reason, retrySeconds) {
      const args = {
        job_id: parseInput(JobIdSchema, jobId, 'fail outbox job'),
        worker,
        reason,
        retry_seconds: retrySeconds,
      };
      return call('fail outbox job', 'fail_outbox', args, FailResultSchema);
    },
    close: () => transport.close(),
  };
}

const ClientIdSchema = z.uuid();
const JobIdSchema = z.number().int().positive();
const BooleanSchema = z.boolean();
