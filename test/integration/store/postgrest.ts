/**
 * A stand-in for Supabase's HTTP API (the gateway's apikey check + PostgREST's RPC endpoint), given to
 * supabase-js as its `fetch`. PostgREST itself can't run here, so this checks every request against
 * PostgREST's documented RPC contract and answers by running the SQL function on the real Postgres,
 * the way PostgREST does:
 *   POST /rest/v1/rpc/<fn>, JSON object body of named arguments, Content-Type: application/json
 *   Content-Profile: <schema> for a schema other than the default (the first exposed one)
 *   apikey: <project key>; Authorization: Bearer <JWT> (HS256, project secret); role = claim `role`
 *   transaction: SET role, request.jwt.claims (+ request.method/path) local to it; READ ONLY for
 *   STABLE/IMMUTABLE functions; Prefer: tx=rollback rolls back
 *   answer: scalar → its JSON value, SETOF → JSON array; errors → {code, message, details, hint} with
 *   PostgREST's SQLSTATE → HTTP status table.
 * Anything outside the contract is recorded in `violations` (tests assert it stays empty) and answered
 * with 400.
 * Docs: https://docs.postgrest.org/en/stable/references/api/functions.html,
 *       https://docs.postgrest.org/en/stable/references/errors.html
 */
import pg from 'pg';
import { TEST_JWT_SECRET, verifyJwt } from './jwt.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  schema: string | undefined;
  role: string | undefined;
  status: number;
}

export interface FakePostgrest {
  /** Base URL to give supabase-js (nothing listens there; `fetch` answers). */
  url: string;
  fetch: typeof fetch;
  requests: RecordedRequest[];
  violations: string[];
  /** The next `count` requests get this status from the "gateway", as when the project is down. */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

interface FunctionInfo {
  argnames: string[] | null;
  argtypes: string[];
  nargs: number;
  ndefaults: number;
  retset: boolean;
  volatility: string;
}

const ROLES = new Set(['anon', 'authenticated', 'service_role']);

export function fakePostgrest(options: {
  databaseUrl: string;
  /** Keys the gateway accepts in the apikey header. */
  apiKeys: string[];
  /** Exposed schemas, default first (supabase/config.toml [api].schemas). */
  schemas?: string[];
  jwtSecret?: string;
}): FakePostgrest {
  const url = 'http://supabase.test';
  const schemas = options.schemas ?? ['public', 'graphql_public', 'idse'];
  const secret = options.jwtSecret ?? TEST_JWT_SECRET;
  // PostgREST's own connection pool, as its "authenticator" (here the superuser).
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
  pool.on('error', () => undefined);
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  let failing: { status: number; count: number } | undefined;

  async function handle(request: Request): Promise<Response> {
    const target = new URL(request.url);
    const record = (status: number, schema?: string, role?: string) => {
      requests.push({ method: request.method, path: target.pathname, schema, role, status });
    };
    const violation = (message: string) => {
      violations.push(`${request.method} ${target.pathname}: ${message}`);
      record(400);
      return json(400, {
        code: 'FAKE400',
        message: `request outside the PostgREST RPC contract: ${message}`,
      });
    };

    if (failing && failing.count > 0) {
      failing.count -= 1;
      record(failing.status);
      return new Response('upstream connect error or disconnect/reset before headers', {
        status: failing.status,
      });
    }
    if (target.origin !== url) return violation(`unexpected host ${target.origin}`);
    const rpc = /^\/rest\/v1\/rpc\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(target.pathname);
    if (!rpc) return violation('not an RPC endpoint (/rest/v1/rpc/<function>)');
    if (request.method !== 'POST')
      return violation(`method ${request.method}; the store calls functions with POST`);

    // The API gateway: an unknown or missing apikey never reaches PostgREST.
    const apikey = request.headers.get('apikey');
    if (!apikey || !options.apiKeys.includes(apikey)) {
      record(401);
      return json(401, {
        message: 'Invalid API key',
        hint: 'Double check your Supabase `anon` or `service_role` API key.',
      });
    }
    const authorization = request.headers.get('authorization');
    let claims: Record<string, unknown> = {};
    if (authorization !== null) {
      const bearer = /^Bearer (\S+)$/.exec(authorization);
      if (!bearer) return violation('Authorization is not "Bearer <token>"');
      const verified = verifyJwt(bearer[1]!, secret);
      if ('error' in verified) {
        record(401);
        return json(401, { code: verified.code, message: verified.error, details: null, hint: null });
      }
      claims = verified.claims;
    }
    const role = typeof claims.role === 'string' ? claims.role : 'anon';
    if (!ROLES.has(role)) {
      record(401);
      return json(401, {
        code: 'PGRST301',
        message: `role "${role}" is not allowed`,
        details: null,
        hint: null,
      });
    }

    if (!request.headers.get('content-type')?.startsWith('application/json')) {
      return violation('Content-Type must be application/json');
    }
    if (request.headers.has('accept-profile') && !request.headers.has('content-profile')) {
      return violation('a POST names its schema with Content-Profile, not Accept-Profile');
    }
    const profile = request.headers.get('content-profile') ?? undefined;
    if (profile !== undefined && !schemas.includes(profile)) {
      record(406, profile, role);
      return json(406, {
        code: 'PGRST106',
        message: `Invalid schema: ${profile}`,
        details: null,
        hint: `Only the following schemas are exposed: ${schemas.join(', ')}`,
      });
    }
    const schema = profile ?? schemas[0]!;

    let args: unknown;
    try {
      const text = await request.text();
      args = text === '' ? {} : JSON.parse(text);
    } catch {
      record(400, schema, role);
      return json(400, { code: 'PGRST102', message: 'Empty or invalid json', details: null, hint: null });
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      return violation('the body must be a JSON object of named arguments');
    }
    const named = args as Record<string, unknown>;
    const prefer = request.headers.get('prefer') ?? '';
    const rollback = /\btx=rollback\b/.test(prefer);

    const fn = rpc[1]!;
    const client = await pool.connect();
    try {
      const overloads = await client.query<FunctionInfo>(
        `select p.proargnames as argnames, p.proargtypes::regtype[]::text[] as argtypes, p.pronargs as nargs,
                p.pronargdefaults as ndefaults, p.proretset as retset, p.provolatile as volatility
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         where n.nspname = $1 and p.proname = $2`,
        [schema, fn],
      );
      const keys = Object.keys(named);
      const match = overloads.rows.find((f) => {
        const names = (f.argnames ?? []).slice(0, f.nargs);
        const required = names.slice(0, f.nargs - f.ndefaults);
        return keys.every((k) => names.includes(k)) && required.every((k) => k in named);
      });
      if (!match) {
        record(404, schema, role);
        return json(404, {
          code: 'PGRST202',
          message: `Could not find the function ${schema}.${fn}(${keys.sort().join(', ')}) in the schema cache`,
          details: null,
          hint: null,
        });
      }
      const names = (match.argnames ?? []).slice(0, match.nargs);
      const params: unknown[] = [];
      const sqlArgs: string[] = [];
      names.forEach((name, i) => {
        if (!(name in named)) return;
        const value = named[name];
        const type = match.argtypes[i]!;
        params.push(value === null ? null : /^jsonb?$/.test(type) ? JSON.stringify(value) : String(value));
        sqlArgs.push(`${pg.escapeIdentifier(name)} => $${params.length}::${type}`);
      });
      const call = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(fn)}(${sqlArgs.join(', ')})`;
      const readOnly = match.volatility !== 'v';
      await client.query(readOnly ? 'begin read only' : 'begin');
      try {
        await client.query(
          `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
                  set_config('request.method', 'POST', true), set_config('request.path', $3, true)`,
          [role, JSON.stringify(claims), target.pathname],
        );
        const result = match.retset
          ? (await client.query(`select * from ${call}`, params)).rows
          : (await client.query(`select ${call} as result`, params)).rows[0]?.result;
        await client.query(rollback ? 'rollback' : 'commit');
        record(200, schema, role);
        return json(200, result ?? null);
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        const e = error as { code?: string; message?: string; detail?: string; hint?: string };
        const status = httpStatus(e.code ?? '', role);
        record(status, schema, role);
        return json(status, {
          code: e.code ?? 'XX000',
          message: e.message ?? String(error),
          details: e.detail ?? null,
          hint: e.hint ?? null,
        });
      }
    } finally {
      client.release();
    }
  }

  return {
    url,
    fetch: (input, init) => handle(new Request(input, init)),
    requests,
    violations,
    failNext(status, count = 1) {
      failing = { status, count };
    },
    close: () => pool.end(),
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/** PostgREST's SQLSTATE → HTTP status table. */
function httpStatus(code: string, role: string): number {
  if (code === '42501') return role === 'anon' ? 401 : 403;
  const exact: Record<string, number> = {
    '23503': 409,
    '23505': 409,
    '25006': 405,
    P0001: 400,
    '42883': 404,
    '42P01': 404,
    '42P17': 500,
  };
  if (exact[code] !== undefined) return exact[code];
  const byClass: Record<string, number> = {
    '08': 503,
    '09': 500,
    '0L': 403,
    '0P': 403,
    '25': 500,
    '28': 403,
    '2D': 500,
    '38': 500,
    '39': 500,
    '3B': 500,
    '40': 500,
    '53': 503,
    '54': 500,
    '55': 500,
    '57': 500,
    '58': 500,
    F0: 500,
    HV: 500,
    P0: 500,
    XX: 500,
  };
  return byClass[code.slice(0, 2)] ?? 400;
}
