/**
 * What `idse agency …` does to the store, as a list: the store methods an admin may call, each with
 * the schema of its answer. The App's admin API serves exactly these (routes.ts), and the CLI's remote
 * store calls them over HTTP (client.ts) and reads the answers with the same schemas, so a command
 * prints the same whether it opened the store itself or went through the running App.
 */
import { z } from 'zod';
import {
  AgencyClientSchema,
  AgencyMetricsSchema,
  AgencyProjectSchema,
  AgencyRunSchema,
  AgencySessionSchema,
  ArchiveResultSchema,
} from '../store/agency.ts';
import { ApiKeyRecordSchema, ClientRefSchema, CreatedClientSchema } from '../store/keys.ts';
import type { Store } from '../store/store.ts';
import { PublishResultSchema } from '../store/sync-schema.ts';

export const ADMIN_OPERATIONS = {
  createClient: CreatedClientSchema,
  findClient: ClientRefSchema.nullable(),
  createApiKey: ApiKeyRecordSchema,
  listApiKeys: ApiKeyRecordSchema.array(),
  revokeApiKey: z.boolean(),
  agencyClients: AgencyClientSchema.array(),
  agencyProjects: AgencyProjectSchema.array(),
  agencySessions: AgencySessionSchema.array(),
  agencyRuns: AgencyRunSchema.array(),
  agencyMetrics: AgencyMetricsSchema.nullable(),
  setArchived: ArchiveResultSchema.nullable(),
  publishDoc: PublishResultSchema,
};

export type AdminOperation = keyof typeof ADMIN_OPERATIONS;

// Each schema reads exactly what its store method answers (a compile error when they drift).
ADMIN_OPERATIONS satisfies { [K in AdminOperation]: z.ZodType<Awaited<ReturnType<Store[K]>>> };

/** The part of the store agency admin commands use: the store itself, or the App's admin API. */
export type AdminStore = Pick<Store, AdminOperation>;

export const isAdminOperation = (name: string): name is AdminOperation =>
  Object.hasOwn(ADMIN_OPERATIONS, name);
