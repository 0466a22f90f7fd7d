/**
 * Clients without GitHub and API keys: what agency admin commands create and what the gateway and the
 * dashboard check a caller against. The store only ever sees a key's hash (src/auth/keys.ts).
 */
import { z } from 'zod';
import { parseInput, type StoreCall } from './call.ts';

export const KeyScopeSchema = z.enum(['sync', 'admin']);
export type KeyScope = z.infer<typeof KeyScopeSchema>;

const Timestamp = z.string();
const ClientId = z.uuid();

export const NewClientSchema = z.object({ name: z.string().trim().min(1).max(200) });
export const CreatedClientSchema = z.object({ client_id: ClientId, name: z.string(), created: z.boolean() });
export type CreatedClient = z.infer<typeof CreatedClientSchema>;

export const ClientRefSchema = z.object({
  client_id: ClientId,
  login: z.string(),
  github_account_id: z.number().nullable(),
});
export type ClientRef = z.infer<typeof ClientRefSchema>;

export const NewApiKeySchema = z
  .object({
    /** null: an agency-wide key (admin scope only). */
    client_id: ClientId.nullable(),
    project: z.string().min(1).max(500).nullable().default(null),
    scope: KeyScopeSchema,
    label: z.string().max(200).default(''),
    key_prefix: z.string().min(1).max(40),
    key_hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex'),
  })
  .refine((k) => k.scope === 'admin' || k.client_id !== null, {
    message: 'a sync key belongs to one client',
    path: ['client_id'],
  });
export type NewApiKey = z.input<typeof NewApiKeySchema>;

export const ApiKeyRecordSchema = z.object({
  id: z.number().int().positive(),
  client_id: ClientId.nullable(),
  project: z.string().nullable(),
  scope: KeyScopeSchema,
  label: z.string(),
  key_prefix: z.string(),
  created_at: Timestamp,
  last_used_at: Timestamp.nullable(),
  revoked_at: Timestamp.nullable(),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;

export interface KeyStore {
  /** The client of that name (case-insensitive), created without a GitHub account if there is none. */
  createClient(client: { name: string }): Promise<CreatedClient>;
  /** A client by id or name; null when there is none. */
  findClient(nameOrId: string): Promise<ClientRef | null>;
  createApiKey(key: NewApiKey): Promise<ApiKeyRecord>;
  /** The live key with this hash, stamped as used; null when unknown or revoked. */
  resolveApiKey(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Every key (revoked ones too), or those of one client. */
  listApiKeys(clientId?: string): Promise<ApiKeyRecord[]>;
  /** True when the key was live; false when unknown or already revoked. */
  revokeApiKey(id: number): Promise<boolean>;
  /** Whether the key exists and is not revoked (what a token issued for it is checked against). */
  isApiKeyLive(id: number): Promise<boolean>;
  /** Signs out a dashboard session of a key (its token id, kept until the token expires). */
  endDashboardSession(keyId: number, tokenId: string, expiresAt: Date): Promise<boolean>;
  /** The session's key is live and the session was not signed out. */
  isDashboardSessionLive(keyId: number, tokenId: string): Promise<boolean>;
}

export function keyMethods(call: StoreCall): KeyStore {
  return {
    async createClient(client) {
      const input = parseInput(NewClientSchema, client, 'create client');
      return call('create client', 'create_client', { client: input }, CreatedClientSchema);
    },
    async findClient(nameOrId) {
      const name = parseInput(z.string().trim().min(1), nameOrId, 'find client');
      return call('find client', 'find_client', { name_or_id: name }, ClientRefSchema.nullable());
    },
    async createApiKey(key) {
      const input = parseInput(NewApiKeySchema, key, 'create API key');
      return call('create API key', 'create_api_key', { key: input }, ApiKeyRecordSchema);
    },
    async resolveApiKey(keyHash) {
      // A malformed hash can match nothing: answer without asking the database.
      if (!/^[0-9a-f]{64}$/.test(keyHash)) return null;
      return call('resolve API key', 'resolve_api_key', { key_hash: keyHash }, ApiKeyRecordSchema.nullable());
    },
    async listApiKeys(clientId) {
      const id = clientId === undefined ? undefined : parseInput(ClientId, clientId, 'list API keys');
      return call('list API keys', 'list_api_keys', { for_client: id }, ApiKeyRecordSchema.array());
    },
    async revokeApiKey(id) {
      const keyId = parseInput(z.number().int().positive(), id, 'revoke API key');
      return call('revoke API key', 'revoke_api_key', { key_id: keyId }, z.boolean());
    },
    async isApiKeyLive(id) {
      const keyId = parseInput(z.number().int().positive(), id, 'check API key');
      return call('check API key', 'api_key_live', { key_id: keyId }, z.boolean());
    },
    async endDashboardSession(keyId, tokenId, expiresAt) {
      const key_id = parseInput(z.number().int().positive(), keyId, 'sign out');
      const token_id = parseInput(z.uuid(), tokenId, 'sign out');
      const expires_at = expiresAt.toISOString();
      return call('sign out', 'end_dashboard_session', { key_id, token_id, expires_at }, z.boolean());
    },
    async isDashboardSessionLive(keyId, tokenId) {
      const key_id = parseInput(z.number().int().positive(), keyId, 'check dashboard session');
      const token_id = parseInput(z.uuid(), tokenId, 'check dashboard session');
      return call('check dashboard session', 'dashboard_session_live', { key_id, token_id }, z.boolean());
    },
  };
}
