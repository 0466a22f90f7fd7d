import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createNodeMiddleware, type Logger, Probot } from 'probot';
import { HttpError, type HttpRoute, isHttpError, matchRoute, readBody, sendError } from '../server/http.ts';
import { DEFAULT_WEBHOOK_PATH } from './env.ts';
import { type GitHubClientOptions, idseOctokit } from './github/octokit.ts';
import { createIdseApp, type IdseApp, type IdseAppOptions } from './index.ts';

export interface AppServerOptions {
  appId: number | string;
  /** PEM private key of the App (PKCS#1 or PKCS#8). */
  privateKey: string;
  webhookSecret: string;
  /** GitHub's REST API: https://api.github.com, or `<protocol>://<GHE_HOST>/api/v3` on Enterprise. */
  baseUrl?: string;
  webhookPath?: string;
  log?: Logger;
  logLevel?: string;
  github?: GitHubClientOptions;
  app?: IdseAppOptions;
  /** Routes beside the webhook (sync gateway, dashboard), matched by path prefix. */
  routes?: readonly HttpRoute[];
}

/** GitHub sends webhook payloads of at most 25 MB; a larger body is not GitHub's and is not read. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export interface AppServer {
  server: Server;
  idse: IdseApp;
  probot: Probot;
  webhookPath: string;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Stops taking requests, then waits for queued validations to finish. */
  close(): Promise<void>;
}

/**
 * The App behind a plain node:http server: Probot's webhook middleware (signature check, event
 * routing) at `webhookPath`, `/healthz` for load balancers, the routes given (gateway, dashboard), 404
 * for the rest. Stateless apart from
 * the store and queue, so replicas can share those behind a load balancer.
 */
export async function createAppServer(options: AppServerOptions): Promise<AppServer> {
  const log = options.log ?? pino({ name: 'idse-app', level: options.logLevel ?? 'info' });
  const probot = new Probot({
    appId: options.appId,
    privateKey: options.privateKey,
    secret: options.webhookSecret,
    log,
    Octokit: idseOctokit(options.github),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  const idse = createIdseApp(options.app);
  const webhookPath = options.webhookPath ?? DEFAULT_WEBHOOK_PATH;
  const middleware = await createNodeMiddleware(idse.app, { probot, webhooksPath: webhookPath });

  const routes = options.routes ?? [];
  const webhookPathname = withoutTrailingSlashes(webhookPath);
  /** Answers a failed request once; a refused upload also loses its connection, so it is not read. */
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown, what: string) => {
    if (!isHttpError(error)) log.error({ err: error }, `idse: ${what} failed`);
    const answer = isHttpError(error)
      ? error
      : new HttpError(500, 'internal', 'the request failed; see the App log');
    if (answer.status === 413) {
      res.setHeader('connection', 'close');
      res.once('finish', () => req.destroy());
    }
    if (!res.headersSent) sendError(res, answer);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = matchRoute(routes, url.pathname);
    if (route) {
      Promise.resolve()
        .then(() => route.handle(req, res, url))
        .catch((error: unknown) => fail(req, res, error, `${req.method} ${url.pathname}`));
      return;
    }
    const notFound = () => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    };
    // A webhook's body is read here, at most MAX_WEBHOOK_BYTES, and handed to Probot as text: its
    // own reader buffers whatever it is sent, and does so before the signature is checked.
    const isWebhook = req.method === 'POST' && withoutTrailingSlashes(url.pathname) === webhookPathname;
    Promise.resolve()
      .then(async () => {
        if (isWebhook) {
          const body = await readBody(req, MAX_WEBHOOK_BYTES);
          (req as IncomingMessage & { body?: string }).body = new TextDecoder().decode(body);
        }
        await middleware(req, res, notFound);
      })
      .catch((error: unknown) => fail(req, res, error, 'webhook handling'));
  });

  return {
    server,
    idse,
    probot,
    webhookPath,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await idse.close();
    },
  };
}

/** `/api/github/webhooks/` → `/api/github/webhooks`, read once from the end (no backtracking pattern). */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}
