/**
 * The Agency dashboard as an HttpRoute of the App (`/dashboard`): server-rendered HTML with SVG charts,
 * for admins only. Pages drill down from the agency to a client, a project and a session; each page is
 * two store calls (its list and its metrics), made together.
 *
 *   GET  /dashboard                   clients (a client's admin: its own) and the agency's charts
 *   GET  /dashboard/clients/<id>      a client's projects and charts
 *   GET  /dashboard/projects/<id>     a project's sessions and charts
 *   GET  /dashboard/sessions/<id>     a session's newest runs and charts
 *   GET  /dashboard/login, POST /dashboard/login (key=…), POST /dashboard/logout
 *   query: archived=1 shows archived projects and sessions; since=YYYY-MM-DD starts the weekly history
 *
 * Whatever is not the caller's answers 404, exactly like what does not exist, so ids of other tenants
 * reveal nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildAgencyReport } from '../analytics/agency-report.ts';
import type { TokenIssuer } from '../auth/tokens.ts';
import { HttpError, type HttpRoute, readBody } from '../server/http.ts';
import { type StoreErrorWording, storeHttpError } from '../server/store-errors.ts';
import type { AgencyStore } from '../store/agency.ts';
import type { Store } from '../store/store.ts';
import { authenticate, type DashboardAuth, isSecure, type Principal, signIn, signOut } from './auth.ts';
import { type DocSources, sessionDocs } from './docs.ts';
import { CONTENT_SECURITY_POLICY } from './layout.ts';
import { clientPage, errorPage, loginPage, overviewPage, projectPage, type View } from './pages.ts';
import { sessionPage } from './session-page.ts';

export type DashboardStore = Pick<
  Store,
  keyof AgencyStore | 'resolveApiKey' | 'isDashboardSessionLive' | 'endDashboardSession' | 'syncBlobs'
>;

export interface DashboardOptions {
  /** Undefined when the App runs without a store: every page then answers 503 store-not-configured. */
  store: DashboardStore | undefined;
  /** Signs the session cookie's token (the App's own key). */
  tokens: TokenIssuer;
  /** How session pages show their docs; without it they list runs and branches only. */
  docs?: DocSources;
  now?: () => Date;
}

const PREFIX = '/dashboard';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ID = /^[1-9]\d{0,14}$/;

export function createDashboard(options: DashboardOptions): HttpRoute {
  const now = options.now ?? (() => new Date());
  return {
    prefix: PREFIX,
    async handle(req, res, url) {
      try {
        const { store } = options;
        if (!store) {
          throw new HttpError(
            503,
            'store-not-configured',
            'The dashboard needs the store: start the App with DATABASE_URL, SUPABASE_URL or IDSE_DATA_DIR (see docs/store.md).',
          );
        }
        const auth: DashboardAuth = { store, tokens: options.tokens, now };
        const path = withoutTrailingSlashes(url.pathname) || PREFIX;
        if (path === `${PREFIX}/login`) return await login(req, res, auth);
        if (path === `${PREFIX}/logout`) return await logout(req, res, auth);
        if (req.method !== 'GET' && req.method !== 'HEAD') throw notAllowed('GET');
        const started = performance.now();
        const principal = await authenticate(req, auth);
        const timing = { store: 0 };
        const html = await render(
          path,
          store,
          principal,
          viewOf(url, principal, now()),
          timing,
          options.docs,
        );
        sendHtml(res, 200, html, {
          'server-timing': `store;dur=${timing.store.toFixed(1)}, total;dur=${(performance.now() - started).toFixed(1)}`,
        });
      } catch (error) {
        sendFailure(res, error);
      }
    },
  };
}

/**
 * A page's HTML. `timing.store` gets the time spent waiting for the store, for the Server-Timing
 * header: operators see in the browser's network panel where a slow page spends it.
 */
async function render(
  path: string,
  store: DashboardStore,
  who: Principal,
  view: View,
  timing: { store: number },
  docSources: DocSources | undefined,
): Promise<string> {
  const fetched = async <T>(calls: Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await calls;
    } finally {
      timing.store += performance.now() - started;
    }
  };
  const base = { withArchived: view.archived, ...(who.clientId ? { clientId: who.clientId } : {}) };
  const metrics = { ...base, ...(view.since ? { since: view.since } : {}) };
  const [, kind, id] = /^\/dashboard\/(clients|projects|sessions)\/([^/]+)$/.exec(path) ?? [];
  if (path === PREFIX) {
    const [clients, m] = await fetched(
      Promise.all([store.agencyClients(base), store.agencyMetrics(metrics)]),
    );
    return overviewPage(clients, report(m), view);
  }
  if (kind === 'clients' && id && UUID.test(id) && (!who.clientId || who.clientId === id)) {
    const [projects, m] = await fetched(
      Promise.all([
        store.agencyProjects({ ...base, clientId: id }),
        store.agencyMetrics({ ...metrics, clientId: id }),
      ]),
    );
    return clientPage(projects, report(m), view);
  }
  if (kind === 'projects' && id && ID.test(id)) {
    const projectId = Number(id);
    const [sessions, m] = await fetched(
      Promise.all([
        store.agencySessions({ ...base, projectId }),
        store.agencyMetrics({ ...metrics, projectId }),
      ]),
    );
    return projectPage(sessions, report(m), view);
  }
  if (kind === 'sessions' && id && ID.test(id)) {
    const sessionId = Number(id);
    const own = { sessionId, ...(who.clientId ? { clientId: who.clientId } : {}) };
    const onRef = view.ref ? { ref: view.ref } : {};
    const [runs, branches, docs, m] = await fetched(
      Promise.all([
        store.agencyRuns({ ...own, ...onRef }),
        store.agencyBranches(own),
        docSources ? store.agencyDocs({ ...own, ...onRef }) : null,
        store.agencyMetrics({ ...metrics, sessionId }),
      ]),
    );
    const r = report(m);
    const shown =
      docs && docSources && r.scope.client_id
        ? await sessionDocs(store, docs, r.scope.client_id, docSources)
        : undefined;
    return sessionPage({ runs, branches, ...(shown ? { docs: shown } : {}) }, r, view);
  }
  throw notFound();
}

/** Metrics of a scope that does not exist, or is not the caller's, are null: 404 alike. */
function report(metrics: Awaited<ReturnType<AgencyStore['agencyMetrics']>>) {
  if (!metrics) throw notFound();
  return buildAgencyReport(metrics);
}

/**
 * The path without its trailing slashes, in one pass from the end. Not `/\/+$/`: on a run of slashes
 * not at the end a regex retries from every slash, quadratic in their number, before sign-in.
 */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
  return path.slice(0, end);
}

const notFound = () => new HttpError(404, 'not-found', 'Nothing here, or nothing you may see.');

class MethodNotAllowed extends HttpError {
  readonly allow: string;
  constructor(allow: string) {
    super(405, 'method-not-allowed', `Use ${allow}.`);
    this.allow = allow;
  }
}
const notAllowed = (allow: string) => new MethodNotAllowed(allow);

/** How far back `since` may start the weekly history: a page's weeks stay a few hundred rows. */
export const MAX_HISTORY_WEEKS = 156;
const WEEK_MS = 7 * 24 * 3600 * 1000;

function viewOf(url: URL, who: Principal, now: Date): View {
  const since = url.searchParams.get('since') ?? undefined;
  if (since !== undefined) {
    const at = /^\d{4}-\d{2}-\d{2}$/.test(since) ? Date.parse(`${since}T00:00:00Z`) : Number.NaN;
    if (Number.isNaN(at)) throw new HttpError(400, 'invalid-query', 'since must be a date, YYYY-MM-DD.');
    if (at < now.getTime() - MAX_HISTORY_WEEKS * WEEK_MS || at > now.getTime()) {
      throw new HttpError(
        400,
        'invalid-query',
        `since must lie within the last ${MAX_HISTORY_WEEKS} weeks (3 years); \`idse agency report --since\` reaches further.`,
      );
    }
  }
  const ref = url.searchParams.get('ref') ?? undefined;
  if (ref !== undefined && !/^refs\/\S{1,490}$/.test(ref)) {
    throw new HttpError(400, 'invalid-query', 'ref must be a full ref name, e.g. refs/heads/main.');
  }
  const pageText = url.searchParams.get('page') ?? '1';
  if (!/^[1-9]\d{0,5}$/.test(pageText))
    throw new HttpError(400, 'invalid-query', 'page must be a number from 1.');
  const archived = url.searchParams.get('archived');
  return {
    archived: archived === '1' || archived === 'true',
    ...(since ? { since } : {}),
    page: Number(pageText),
    ...(ref ? { ref } : {}),
    user: `${who.clientId ? 'client admin' : 'agency admin'} (key ${who.keyId})`,
  };
}

async function login(req: IncomingMessage, res: ServerResponse, auth: DashboardAuth): Promise<void> {
  if (req.method === 'GET' || req.method === 'HEAD') return sendHtml(res, 200, loginPage());
  if (req.method !== 'POST') throw notAllowed('GET, POST');
  sameOrigin(req);
  const form = new URLSearchParams((await readBody(req, 8192)).toString('utf8'));
  const cookie = await signIn(form.get('key') ?? '', auth, isSecure(req));
  res.writeHead(303, { location: PREFIX, 'set-cookie': cookie, 'cache-control': 'no-store' }).end();
}

async function logout(req: IncomingMessage, res: ServerResponse, auth: DashboardAuth): Promise<void> {
  if (req.method !== 'POST') throw notAllowed('POST');
  sameOrigin(req);
  const cookie = await signOut(req, auth);
  res
    .writeHead(303, { location: `${PREFIX}/login`, 'set-cookie': cookie, 'cache-control': 'no-store' })
    .end();
}

/**
 * A form posted from another site is refused: browsers send Origin with every POST (scripts and curl
 * send none, and carry no victim's cookie either). Scheme, host and port must all be the dashboard's:
 * a page served over plain http on the same host is another origin.
 */
function sameOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const own = `${isSecure(req) ? 'https' : 'http'}://${req.headers.host ?? ''}`;
  if (URL.canParse(origin) && URL.canParse(own) && new URL(origin).origin === new URL(own).origin) return;
  throw new HttpError(403, 'cross-origin', 'This form can only be sent from the dashboard itself.');
}

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}) {
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(html),
      'cache-control': 'no-store',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      // Not no-referrer: under it browsers send `Origin: null` with the dashboard's own form posts.
      'referrer-policy': 'same-origin',
      ...headers,
    })
    .end(html);
}

/** The store failures a dashboard user can understand, in the dashboard's words. */
const STORE_WORDING: StoreErrorWording = {
  'store-unavailable': { message: 'The store is not reachable right now; try again shortly.' },
  'invalid-payload': { code: 'invalid-query' },
};

/**
 * Failures as pages: 401 is the login form (with the reason), the rest a short page with the code.
 * The store's own failures a user can understand become 503/400; anything else is a bug, rethrown so
 * the App server logs it and answers 500.
 */
function sendFailure(res: ServerResponse, error: unknown): void {
  const http = error instanceof HttpError ? error : storeHttpError(error, STORE_WORDING);
  if (!http) throw error;
  if (http.status === 401) {
    // RFC 6750: no error attribute when no credentials came at all.
    const given = http.code !== 'unauthenticated';
    sendHtml(res, 401, loginPage(given ? http.message : undefined), {
      'www-authenticate': `Bearer realm="idse-dashboard"${given ? ', error="invalid_token"' : ''}`,
    });
    return;
  }
  const headers: Record<string, string> = http instanceof MethodNotAllowed ? { allow: http.allow } : {};
  sendHtml(res, http.status, errorPage(http.status, http.code, http.message), headers);
}
