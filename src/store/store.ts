/**
 * The Store: the one interface faces use, whatever the backend. Inputs are validated here (zod) before
 * anything reaches the database, so a bad payload writes nothing; each write is one SQL function call,
 * hence one transaction. Every failure leaves as a StoreError.
 */
import type { PGlite } from '@electric-sql/pglite';
import { z } from 'zod';
import { type AgencyStore, agencyMethods } from './agency.ts';
import { parseInput, storeCaller } from './call.ts';
import { type FactsStore, factsMethods } from './facts.ts';
import type { CallFunction } from './functions.ts';
import { type KeyStore, keyMethods } from './keys.ts';
import {
  type ClientSummary,
  ClientSummarySchema,
  type InstallationEvent,
  InstallationEventSchema,
  type InstallationResult,
  InstallationResultSchema,
  type ValidationMirror,
  ValidationMirrorSchema,
  type ValidationResult,
  ValidationResultSchema,
} from './schema.ts';
import { type SyncStore, syncMethods } from './sync.ts';

export type StoreBackend = 'pglite' | 'postgres' | 'supabase';

export type JobDatabase = { kind: 'pglite'; db: PGlite } | { kind: 'postgres'; connectionString: string };

export interface Store extends KeyStore, SyncStore, AgencyStore, FactsStore {
  readonly backend: StoreBackend;
  /**
   * The database a durable job queue can share with this store, if it has one: the embedded PGlite
   * itself, or a Postgres URL. Undefined for Supabase without its database URL (REST only).
   */
  readonly jobDatabase: JobDatabase | undefined;
  /** installation / installation_repositories webhook → client, installation, repositories. */
  recordInstallation(event: InstallationEvent): Promise<InstallationResult>;
  /** Mirror one validation run; a delivery id seen before returns `duplicate: true` and writes nothing. */
  recordValidation(payload: ValidationMirror): Promise<ValidationResult>;
  /** Latest state and pass rate of every session of a client. */
  clientSummary(clientId: string): Promise<ClientSummary>;
  close(): Promise<void>;
}

/** What a backend provides: a way to call the SQL functions, and to let go of its resources. */
export interface StoreTransport {
  backend: StoreBackend;
  jobDatabase?: JobDatabase;
  call: CallFunction;
  close(): Promise<void>;
}

export function createStore(transport: StoreTransport): Store {
  const call = storeCaller(transport);
  return {
    backend: transport.backend,
    jobDatabase: transport.jobDatabase,
    ...keyMethods(call),
    ...syncMethods(call),
    ...agencyMethods(call),
    ...factsMethods(call),
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
    close: () => transport.close(),
  };
}

const ClientIdSchema = z.uuid();
