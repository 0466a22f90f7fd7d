/**
 * A local stand-in for GitHub's REST API, reached by the App through GHE_HOST / GHE_PROTOCOL=http
 * (so under `/api/v3`, as GitHub Enterprise serves it). It answers from a real git repository on
 * disk, checks every request against GitHub's own OpenAPI description (the route must exist, the
 * query parameters must be declared, the body must match the operation's schema), authenticates
 * like GitHub (an RS256 App JWT for installation tokens, then the token), records every call, and
 * can be told to fail an endpoint a number of times.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { createPublicKey, createVerify, type KeyObject, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- the OpenAPI description

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: object;
  'x-multi-segment'?: boolean;
  $ref?: string;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: object }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation | Parameter[]>>;
  components: { parameters: Record<string, Parameter> };
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  literals: number;
  query: Parameter[];
  bodyRequired: boolean;
}

/** Loaded once per process: the description is 13 MB of JSON. */
let spec: { doc: OpenApi; routes: Route[]; ajv: Ajv; queryAjv: Ajv } | undefined;
const validators = new Map<string, ValidateFunction | null>();

function openapi() {
  if (spec) return spec;
  const doc = require('@octokit/openapi/generated/api.github.com.json') as OpenApi;
  const resolve = (p: Parameter): Parameter =>
    p.$ref ? doc.components.parameters[p.$ref.replace('#/components/parameters/', '')]! : p;
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const shared = ((item.parameters as Parameter[] | undefined) ?? []).map(resolve);
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      const params = [...shared, ...((op as Operation).parameters ?? []).map(resolve)];
      const multi = new Set(params.filter((p) => p.in === 'path' && p['x-multi-segment']).map((p) => p.name));
      const source = template
        .split('/')
        .map((seg) =>
          seg.replace(/\{([^}]+)\}|[^{}]+/g, (m, name?: string) =>
            name ? (multi.has(name) ? '(.+)' : '([^/]+)') : m.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
          ),
        )
        .join('/');
      routes.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${source}$`),
        literals: template.split('/').filter((s) => s && !s.includes('{')).length,
        query: params.filter((p) => p.in === 'query'),
        bodyRequired: (op as Operation).requestBody?.required === true,
      });
    }
  }
  // The most specific template wins: `/repos/{o}/{r}/pulls/{n}/files` before anything looser.
  routes.sort((a, b) => b.literals - a.literals);
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajvFormats.default(ajv);
  ajv.addSchema(doc as object, 'api');
  const queryAjv = new Ajv({ strict: false, coerceTypes: true, allErrors: true });
  ajvFormats.default(queryAjv);
  spec = { doc, routes, ajv, queryAjv };
  return spec;
}

function bodyValidator(route: Route): ValidateFunction | null {
  const key = `${route.method} ${route.template}`;
  if (!validators.has(key)) {
    const { doc, ajv } = openapi();
    const op = doc.paths[route.template]![route.method.toLowerCase()] as Operation;
    const json = op.requestBody?.content?.['application/json'];
    const pointer = [
      'paths',
      route.template,
      route.method.toLowerCase(),
      'requestBody',
      'content',
      'application/json',
      'schema',
    ]
      .map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')))
      .join('/');
    validators.set(key, json?.schema ? ajv.compile({ $ref: `api#/${pointer}` }) : null);
  }
  return validators.get(key)!;
}

function queryValidator(route: Route): ValidateFunction {
  const key = `query ${route.method} ${route.template}`;
  if (!validators.has(key)) {
    const schema = {
      type: 'object',
      properties: Object.fromEntries(route.query.map((p) => [p.name, p.schema ?? {}])),
      required: route.query.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    };
    validators.set(key, openapi().queryAjv.compile(schema));
  }
  return validators.get(key)!;
}

// ---------------------------------------------------------------- the git repository

/** Reads objects through one long-running `git cat-file --batch`: a process per blob is too slow. */
class CatFile {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private readonly waiting: Array<(object: { type: string; content: Buffer } | undefined) => void> = [];

  constructor(dir: string) {
    this.proc = spawn('git', ['cat-file', '--batch'], { cwd: dir });
    this.proc.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    this.proc.on('error', () => {});
  }

  read(sha: string): Promise<{ type: string; content: Buffer } | undefined> {
    if (!/^[0-9a-f]{4,40}$/.test(sha)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.proc.stdin.write(`${sha}\n`);
    });
  }

  private drain(): void {
    for (;;) {
      const eol = this.buffer.indexOf(10);
      if (eol < 0) return;
      const header = this.buffer.subarray(0, eol).toString();
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(eol + 1);
        this.waiting.shift()?.(undefined);
        continue;
      }
      const [, type = '', size = '0'] = header.split(' ');
      const end = eol + 1 + Number(size);
      if (this.buffer.length < end + 1) return;
      const content = Buffer.from(this.buffer.subarray(eol + 1, end));
      this.buffer = this.buffer.subarray(end + 1);
      this.waiting.shift()?.({ type, content });
    }
  }

  close(): void {
    this.proc.stdin.end();
    this.proc.kill();
  }
}

async function git(dir: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd: dir, maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

async function gitOrUndefined(dir: string, args: string[]): Promise<string | undefined> {
  try {
    return await git(dir, args);
  } catch {
    return undefined;
  }
}

interface ChangedFile {
  filename: string;
  status: string;
  previous_filename?: string;
}

const STATUS: Record<string, string> = {
  A: 'added',
  M: 'modified',
  D: 'removed',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

/** `git diff --name-status -M` between two commits, as GitHub lists files. */
async function diffFiles(dir: string, from: string, to: string): Promise<ChangedFile[]> {
  const out = await git(dir, ['diff', '--name-status', '-M', '-z', from, to]);
  const parts = out.split('\0').filter((p) => p !== '');
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++]!;
    const status = STATUS[code[0]!] ?? 'modified';
    if (code[0] === 'R' || code[0] === 'C') {
      const previous = parts[i++]!;
      files.push({ filename: parts[i++]!, status, previous_filename: previous });
    } else {
      files.push({ filename: parts[i++]!, status });
    }
  }
  return files;
}

// ---------------------------------------------------------------- the stand-in

export interface Call {
  method: string;
  /** `GET /repos/{owner}/{repo}/git/blobs/{file_sha}`: the operation the request matched. */
  route: string;
  path: string;
  query: Record<string, string>;
  status: number;
  body?: unknown;
  at: number;
}

export interface Fault {
  /** `METHOD template`, e.g. `GET /repos/{owner}/{repo}/git/blobs/{file_sha}`. */
  route: string;
  /** How many matching calls fail; default 1. `Infinity`: all of them. */
  times?: number;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id?: string;
  started_at?: string;
  completed_at?: string;
  output: { title?: string; summary?: string; text?: string };
  annotations: Array<Record<string, unknown>>;
  /** Every request body that created or updated this run, in order. */
  writes: Array<Record<string, unknown>>;
}

export interface Pull {
  number: number;
  title: string;
  /** Commit SHAs: the pull request's files are `git diff merge-base(base, head) head`. */
  head: string;
  base: string;
  headRef: string;
  baseRef: string;
  state?: 'open' | 'closed';
}

export interface StandinOptions {
  repoDir: string;
  owner: string;
  repo: string;
  appId: number;
  /** The App's public key: installation tokens are only given for a JWT it verifies. */
  publicKey: string | KeyObject;
  installationId?: number;
  /** GitHub cuts a recursive tree beyond 100,000 entries; tests can lower that. */
  maxTreeEntries?: number;
  /** Each request is answered this much later (ms), as GitHub's round trips take; 0 by default. */
  latencyMs?: number;
}

const COMPARE_FILES = 300;
/** Where archive links point: GitHub Enterprise serves them from its own host under `/_codeload/`. */
const CODELOAD = '/_codeload/';
/** The route recorded for archive downloads (not a REST operation: the archive host). */
export const CODELOAD_ROUTE = 'GET /_codeload/{owner}/{repo}/legacy.tar.gz/{sha}';
const PERMISSIONS = { checks: 'write', contents: 'read', pull_requests: 'read', metadata: 'read' };

export class GitHubStandin {
  readonly calls: Call[] = [];
  readonly violations: string[] = [];
  readonly checkRuns: CheckRun[] = [];
  readonly pulls: Pull[] = [];
  private readonly faults: Array<Fault & { left: number }> = [];
  private readonly befores: Array<{ route: string; run: () => Promise<void> | void }> = [];
  private readonly tokens = new Set<string>();
  private readonly archiveTokens = new Set<string>();
  private readonly options: Required<Omit<StandinOptions, 'publicKey'>> & { publicKey: KeyObject };
  private readonly server: Server;
  private readonly cat: CatFile;
  private nextCheckRun = 4000;
  private readonly started = Date.now();

  private constructor(options: StandinOptions, server: Server) {
    this.options = {
      installationId: 1,
      maxTreeEntries: 100_000,
      latencyMs: 0,
      ...options,
      publicKey:
        typeof options.publicKey === 'string' ? createPublicKey(options.publicKey) : options.publicKey,
    };
    this.server = server;
    this.cat = new CatFile(options.repoDir);
  }

  static async start(options: StandinOptions): Promise<GitHubStandin> {
    openapi();
    let standin: GitHubStandin | undefined;
    const server = createServer((req, res) => {
      standin!.handle(req, res).catch((error: unknown) => {
        standin!.violations.push(`stand-in crashed on ${req.method} ${req.url}: ${(error as Error).stack}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    standin = new GitHubStandin(options, server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standin;
  }

  /** For GHE_HOST. */
  get host(): string {
    const { port } = this.server.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  get baseUrl(): string {
    return `http://${this.host}/api/v3`;
  }

  addPull(pull: Pull): void {
    this.pulls.push({ state: 'open', ...pull });
  }

  /** Runs `run` once, before the first call of `route` is answered (e.g. take something down mid-run). */
  before(route: string, run: () => Promise<void> | void): void {
    this.befores.push({ route, run });
  }

  fail(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** `METHOD template` of every call, in order. */
  routes(): string[] {
    return this.calls.map((c) => c.route);
  }

  /** How many calls each route received. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const route of this.routes()) out[route] = (out[route] ?? 0) + 1;
    return out;
  }

  reset(): void {
    this.calls.length = 0;
    this.violations.length = 0;
  }

  async close(): Promise<void> {
    this.cat.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------- request handling

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.options.latencyMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const url = new URL(req.url ?? '/', 'http://standin');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const record = (route: string, status: number, body?: unknown): Call => {
      const call: Call = {
        method,
        route,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status,
        ...(body !== undefined ? { body } : {}),
        at: Date.now() - this.started,
      };
      this.calls.push(call);
      return call;
    };
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(data === undefined ? '' : JSON.stringify(data));
    };

    if (url.pathname.startsWith(CODELOAD)) return this.codeload(url, record, send, res);
    if (!url.pathname.startsWith('/api/v3/')) {
      this.violations.push(`${method} ${url.pathname}: not under /api/v3 (GHE base path)`);
      record(`${method} ${url.pathname}`, 404);
      return send(404, { message: 'Not Found' });
    }
    const path = url.pathname.slice('/api/v3'.length);
    const { routes } = openapi();
    const candidates = routes.filter((r) => r.pattern.test(path));
    const route = candidates.find((r) => r.method === method);
    if (!route) {
      const why = candidates.length
        ? `method not in the OpenAPI description`
        : `no such path in the OpenAPI description`;
      this.violations.push(`${method} ${path}: ${why}`);
      record(`${method} ${path}`, 404);
      return send(404, { message: 'Not Found' });
    }
    const name = `${method} ${route.template}`;

    let body: unknown;
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        this.violations.push(`${name}: body is not JSON`);
        record(name, 400);
        return send(400, { message: 'Problems parsing JSON' });
      }
    }
    const problems = this.validate(route, url.searchParams, body);
    if (problems.length) {
      this.violations.push(...problems.map((p) => `${name}: ${p}`));
      record(name, 422, body);
      return send(422, { message: 'Invalid request', errors: problems });
    }

    const auth = this.authenticate(route, req.headers.authorization);
    if (auth) {
      this.violations.push(`${name}: ${auth}`);
      record(name, 401, body);
      return send(401, { message: 'Bad credentials' });
    }

    const hook = this.befores.findIndex((b) => b.route === name);
    if (hook >= 0) await this.befores.splice(hook, 1)[0]!.run();

    const fault = this.faults.find((f) => f.route === name && f.left > 0);
    if (fault) {
      fault.left--;
      record(name, fault.status, body);
      return send(fault.status, fault.body ?? { message: `injected ${fault.status}` }, fault.headers);
    }

    const params = route.pattern.exec(path)!.slice(1).map(decodeURIComponent);
    const answer = await this.answer(name, params, url.searchParams, body as Record<string, unknown>);
    record(name, answer.status, body);
    send(answer.status, answer.data, answer.headers);
  }

  private validate(route: Route, query: URLSearchParams, body: unknown): string[] {
    const problems: string[] = [];
    const checkQuery = queryValidator(route);
    if (!checkQuery(Object.fromEntries(query))) {
      problems.push(
        ...(checkQuery.errors ?? []).map(
          (e) => `query ${e.instancePath || ''} ${e.message} ${JSON.stringify(e.params)}`,
        ),
      );
    }
    const checkBody = bodyValidator(route);
    if (body === undefined) {
      if (route.bodyRequired) problems.push('the operation requires a body; none was sent');
    } else if (checkBody && !checkBody(body)) {
      problems.push(
        ...(checkBody.errors ?? []).map(
          (e) => `body ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
        ),
      );
    } else if (!checkBody && body !== undefined) {
      problems.push('a body was sent to an operation that takes none');
    }
    return problems;
  }

  /** Installation tokens need the App's JWT; everything else needs an installation token. */
  private authenticate(route: Route, header: string | undefined): string | undefined {
    const [scheme = '', credential = ''] = (header ?? '').split(' ');
    if (route.template === '/app/installations/{installation_id}/access_tokens') {
      if (scheme.toLowerCase() !== 'bearer') return 'token request without the App JWT';
      return this.verifyJwt(credential);
    }
    if (!['token', 'bearer'].includes(scheme.toLowerCase()) || !this.tokens.has(credential)) {
      return 'request without a valid installation token';
    }
    return undefined;
  }

  private verifyJwt(jwt: string): string | undefined {
    const [head, payload, signature] = jwt.split('.');
    if (!head || !payload || !signature) return 'malformed JWT';
    const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
    if (header.alg !== 'RS256') return `JWT alg ${header.alg}, expected RS256`;
    const verify = createVerify('RSA-SHA256');
    verify.update(`${head}.${payload}`);
    if (!verify.verify(this.options.publicKey, Buffer.from(signature, 'base64url')))
      return 'JWT signature invalid';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
      iss?: unknown;
      exp?: number;
      iat?: number;
    };
    const now = Math.floor(Date.now() / 1000);
    if (String(claims.iss) !== String(this.options.appId))
      return `JWT iss ${claims.iss}, expected ${this.options.appId}`;
    if (!claims.exp || claims.exp <= now || claims.exp - (claims.iat ?? now) > 600)
      return 'JWT expired or too long-lived';
    return undefined;
  }

  /** The archive host: `git archive` of the commit, gzipped, under GitHub's `<owner>-<repo>-<sha7>/` folder. */
  private async codeload(
    url: URL,
    record: (route: string, status: number) => Call,
    send: (status: number, data: unknown) => void,
    res: ServerResponse,
  ): Promise<void> {
    const { owner, repo, repoDir } = this.options;
    const match = new RegExp(`^${CODELOAD}([^/]+)/([^/]+)/legacy\\.tar\\.gz/([0-9a-f]{40})$`).exec(
      url.pathname,
    );
    const token = url.searchParams.get('token') ?? '';
    if (!match || match[1] !== owner || match[2] !== repo || !this.archiveTokens.has(token)) {
      this.violations.push(`GET ${url.pathname}: not an archive link the stand-in handed out`);
      record(CODELOAD_ROUTE, 404);
      return send(404, { message: 'Not Found' });
    }
    this.archiveTokens.delete(token);
    const sha = match[3]!;
    const archive = spawn(
      'git',
      ['archive', '--format=tar', `--prefix=${owner}-${repo}-${sha.slice(0, 7)}/`, sha],
      {
        cwd: repoDir,
      },
    );
    record(CODELOAD_ROUTE, 200);
    res.writeHead(200, { 'content-type': 'application/x-gzip' });
    archive.stdout.pipe(createGzip()).pipe(res);
    await new Promise((resolve) => res.on('close', resolve));
  }

  // -------------------------------------------------------------- answers from the repository

  private async answer(
    name: string,
    params: string[],
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): Promise<{ status: number; data?: unknown; headers?: Record<string, string> }> {
    const { repoDir: dir, owner, repo } = this.options;
    const notFound = { status: 404, data: { message: 'Not Found' } };
    const repoOf = (p: string[]) => p[0] === owner && p[1] === repo;
    switch (name) {
      case 'POST /app/installations/{installation_id}/access_tokens': {
        if (Number(params[0]) !== this.options.installationId) return notFound;
        const token = `ghs_${randomBytes(18).toString('hex')}`;
        this.tokens.add(token);
        return {
          status: 201,
          data: {
            token,
            expires_at: new Date(Date.now() + 3600_000).toISOString(),
            permissions: PERMISSIONS,
            repository_selection: 'all',
          },
        };
      }
      case 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': {
        if (!repoOf(params)) return notFound;
        const sha = params[2]!;
        const recursive = query.has('recursive');
        const treeSha = (
          await gitOrUndefined(dir, ['rev-parse', '--verify', '--quiet', `${sha}^{tree}`])
        )?.trim();
        if (!treeSha) return notFound;
        const out = await git(dir, ['ls-tree', '-l', '-z', ...(recursive ? ['-r', '-t'] : []), treeSha]);
        const tree = out
          .split('\0')
          .filter(Boolean)
          .map((line) => {
            const [meta = '', path = ''] = line.split('\t');
            const [mode = '', type = '', object = '', size = '-'] = meta.split(/\s+/);
            return {
              path,
              mode,
              type,
              sha: object,
              ...(type === 'blob' ? { size: Number(size) } : {}),
              url: `${this.baseUrl}/repos/${owner}/${repo}/git/${type}s/${object}`,
            };
          });
        const truncated = recursive && tree.length > this.options.maxTreeEntries;
        return {
          status: 200,
          data: {
            sha: treeSha,
            url: `${this.baseUrl}/repos/${owner}/${repo}/git/trees/${treeSha}`,
            tree: truncated ? tree.slice(0, this.options.maxTreeEntries) : tree,
            truncated,
          },
        };
      }
      case 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}': {
        if (!repoOf(params)) return notFound;
        const object = await this.cat.read(params[2]!);
        if (object?.type !== 'blob') return notFound;
        return {
          status: 200,
          data: {
            sha: params[2],
            node_id: `B_${params[2]}`,
            size: object.content.length,
            url: `${this.baseUrl}/repos/${owner}/${repo}/git/blobs/${params[2]}`,
            // GitHub wraps base64 at 60 columns.
            content: (object.content.toString('base64').match(/.{1,60}/g) ?? []).join('\n'),
            encoding: 'base64',
          },
        };
      }
      case 'GET /repos/{owner}/{repo}/compare/{basehead}': {
        if (!repoOf(params)) return notFound;
        const [base = '', head = ''] = params[2]!.split('...');
        const mergeBase = (await gitOrUndefined(dir, ['merge-base', base, head]))?.trim();
        if (!mergeBase)
          return { status: 404, data: { message: `No common ancestor between ${base} and ${head}.` } };
        const count = async (range: string) =>
          Number((await git(dir, ['rev-list', '--count', range])).trim());
        const [ahead, behind] = await Promise.all([
          count(`${mergeBase}..${head}`),
          count(`${mergeBase}..${base}`),
        ]);
        const status =
          ahead === 0 && behind === 0
            ? 'identical'
            : behind === 0
              ? 'ahead'
              : ahead === 0
                ? 'behind'
                : 'diverged';
        const files = await diffFiles(dir, mergeBase, head);
        const commits = (await git(dir, ['rev-list', '--reverse', `${mergeBase}..${head}`]))
          .split('\n')
          .filter(Boolean);
        return {
          status: 200,
          data: {
            url: `${this.baseUrl}/repos/${owner}/${repo}/compare/${params[2]}`,
            status,
            ahead_by: ahead,
            behind_by: behind,
            total_commits: ahead,
            merge_base_commit: { sha: mergeBase },
            base_commit: { sha: (await git(dir, ['rev-parse', base])).trim() },
            commits: commits.map((sha) => ({ sha })),
            files: files
              .slice(0, COMPARE_FILES)
              .map((f) => ({ ...f, sha: null, additions: 0, deletions: 0, changes: 0 })),
          },
        };
      }
      case 'GET /repos/{owner}/{repo}/pulls': {
        if (!repoOf(params)) return notFound;
        const state = query.get('state') ?? 'open';
        const list = this.pulls
          .filter((p) => state === 'all' || p.state === state)
          .map((p) => this.pullObject(p));
        return this.page(list, query, `/repos/${owner}/${repo}/pulls`);
      }
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files': {
        if (!repoOf(params)) return notFound;
        const pull = this.pulls.find((p) => p.number === Number(params[2]));
        if (!pull) return notFound;
        const mergeBase = (await git(dir, ['merge-base', pull.base, pull.head])).trim();
        const files = (await diffFiles(dir, mergeBase, pull.head)).map((f) => ({
          ...f,
          sha: null,
          additions: 0,
          deletions: 0,
          changes: 0,
          blob_url: `https://github.example/${owner}/${repo}/blob/${pull.head}/${f.filename}`,
          raw_url: `https://github.example/${owner}/${repo}/raw/${pull.head}/${f.filename}`,
          contents_url: `${this.baseUrl}/repos/${owner}/${repo}/contents/${f.filename}?ref=${pull.head}`,
        }));
        return this.page(files.slice(0, 3000), query, `/repos/${owner}/${repo}/pulls/${pull.number}/files`);
      }
      case 'GET /repos/{owner}/{repo}/tarball/{ref}': {
        if (!repoOf(params)) return notFound;
        const sha = (
          await gitOrUndefined(dir, ['rev-parse', '--verify', '--quiet', `${params[2]}^{commit}`])
        )?.trim();
        if (!sha) return notFound;
        // Like GitHub: a short-lived link to the archive host, carrying its own token.
        const token = `cl_${randomBytes(12).toString('hex')}`;
        this.archiveTokens.add(token);
        const location = `http://${this.host}${CODELOAD}${owner}/${repo}/legacy.tar.gz/${sha}?token=${token}`;
        return { status: 302, headers: { location } };
      }
      case 'POST /repos/{owner}/{repo}/check-runs': {
        if (!repoOf(params)) return notFound;
        const runRecord: CheckRun = {
          id: this.nextCheckRun++,
          name: String(body.name),
          head_sha: String(body.head_sha),
          status: 'queued',
          conclusion: null,
          output: {},
          annotations: [],
          writes: [],
        };
        this.checkRuns.push(runRecord);
        applyCheckRunWrite(runRecord, body);
        return { status: 201, data: this.checkRunObject(runRecord) };
      }
      case 'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': {
        if (!repoOf(params)) return notFound;
        // By commit SHA only (what the App asks with), filtered by name as GitHub does.
        const name = query.get('check_name');
        const runs = this.checkRuns.filter((r) => r.head_sha === params[2] && (!name || r.name === name));
        return {
          status: 200,
          data: { total_count: runs.length, check_runs: runs.map((r) => this.checkRunObject(r)) },
        };
      }
      case 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': {
        if (!repoOf(params)) return notFound;
        const runRecord = this.checkRuns.find((r) => r.id === Number(params[2]));
        if (!runRecord) return notFound;
        applyCheckRunWrite(runRecord, body);
        return { status: 200, data: this.checkRunObject(runRecord) };
      }
      default:
        this.violations.push(`${name}: the stand-in does not serve this (documented) endpoint`);
        return notFound;
    }
  }

  /** GitHub's pagination: `per_page` (default 30) and `page`, with a Link header to the next page. */
  private page(items: unknown[], query: URLSearchParams, path: string) {
    const perPage = Number(query.get('per_page') ?? 30);
    const page = Number(query.get('page') ?? 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URLSearchParams(query);
      next.set('page', String(page + 1));
      headers.link = `<${this.baseUrl}${path}?${next}>; rel="next"`;
    }
    return { status: 200, data: slice, headers };
  }

  private pullObject(p: Pull) {
    const { owner, repo } = this.options;
    return {
      id: 900_000 + p.number,
      number: p.number,
      state: p.state,
      title: p.title,
      html_url: `https://github.example/${owner}/${repo}/pull/${p.number}`,
      url: `${this.baseUrl}/repos/${owner}/${repo}/pulls/${p.number}`,
      user: { login: 'octocat', id: 1, type: 'User' },
      head: { sha: p.head, ref: p.headRef, label: `${owner}:${p.headRef}` },
      base: { sha: p.base, ref: p.baseRef, label: `${owner}:${p.baseRef}` },
      updated_at: new Date().toISOString(),
    };
  }

  private checkRunObject(r: CheckRun) {
    const { owner, repo } = this.options;
    return {
      id: r.id,
      node_id: `CR_${r.id}`,
      name: r.name,
      head_sha: r.head_sha,
      status: r.status,
      conclusion: r.conclusion,
      external_id: r.external_id ?? null,
      started_at: r.started_at ?? null,
      completed_at: r.completed_at ?? null,
      url: `${this.baseUrl}/repos/${owner}/${repo}/check-runs/${r.id}`,
      html_url: `https://github.example/${owner}/${repo}/runs/${r.id}`,
      details_url: null,
      output: { ...r.output, annotations_count: r.annotations.length, annotations_url: '' },
      app: { id: this.options.appId, slug: 'idse' },
      pull_requests: [],
    };
  }
}

function applyCheckRunWrite(run: CheckRun, body: Record<string, unknown>): void {
  run.writes.push(body);
  if (typeof body.status === 'string') run.status = body.status;
  if (typeof body.conclusion === 'string') {
    run.conclusion = body.conclusion;
    run.status = 'completed';
  }
  if (body.status === 'in_progress' || body.status === 'queued') run.conclusion = null;
  for (const key of ['external_id', 'started_at', 'completed_at'] as const) {
    if (typeof body[key] === 'string') run[key] = body[key] as string;
  }
  const output = body.output as
    | { title?: string; summary?: string; text?: string; annotations?: [] }
    | undefined;
  if (output) {
    const { annotations = [], ...text } = output;
    run.output = { ...run.output, ...text };
    run.annotations.push(...annotations);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
