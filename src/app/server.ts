import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createNodeMiddleware, type Logger, Probot } from 'probot';
import { DEFAULT_WEBHOOK_PATH } from './env.ts';
import { HttpError, type HttpRoute, isHttpError, matchRoute, sendError } from './http.ts';
import { createIdseApp, type IdseApp, type IdseAppOptions } from './index.ts';
import { type GitHubClientOptions, idseOctokit } from './octokit.ts';

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
        .catch((error: unknown) => {
          if (isHttpError(error)) {
            if (!res.headersSent) sendError(res, error);
            return;
          }
          log.error({ err: error }, `idse: ${req.method} ${url.pathname} failed`);
          if (!res.headersSent)
            sendError(res, new HttpError(500, 'internal', 'the request failed; see the App log'));
        });
      return;
    }
    Promise.resolve(
      middleware(req, res, () => {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      }),
    ).catch((error: unknown) => {
      log.error({ err: error }, 'idse: request handling failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
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
