// A local stand-in of the Actions cache service v2, the one @actions/cache talks to when
// ACTIONS_CACHE_SERVICE_V2 is set: Twirp JSON at ACTIONS_RESULTS_URL for the entries, and a blob
// endpoint for the archives, addressed as Azurite is (http://host:port/<account>/<container>/<blob>)
// so @azure/storage-blob uploads to it with a plain Put Blob and @actions/cache downloads with GET.
//
// Runs as its own process (started by cache-standin.ts): the action harness runs the bundle with
// spawnSync, which would block a server living in the test's own event loop. It prints its base URL
// as the first line; GET /standin/entries lists the finalised entries and the calls made.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StandinState } from './cache-standin.ts';

const TWIRP = '/twirp/github.actions.results.api.v1.CacheService/';
const BLOBS = '/devstoreaccount1/actions-cache/';

interface Entry {
  id: number;
  key: string;
  version: string;
  body: Buffer | undefined;
  finalised: boolean;
}

const entries: Entry[] = [];
const calls: string[] = [];

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

/** The service's answers, by method, as protobuf JSON with proto field names. */
function twirp(method: string, request: Record<string, unknown>, base: string): unknown {
  const { key, version } = request as { key: string; version: string };
  const found = (k: string) => entries.find((e) => e.finalised && e.key === k && e.version === version);
  switch (method) {
    case 'GetCacheEntryDownloadURL': {
      // Exact key first, then each restore key as a prefix, newest entry first.
      const prefixes = (request.restore_keys as string[] | undefined) ?? [];
      const hit =
        found(key) ??
        prefixes
          .map((prefix) =>
            entries.findLast((e) => e.finalised && e.version === version && e.key.startsWith(prefix)),
          )
          .find(Boolean);
      return hit
        ? { ok: true, signed_download_url: `${base}${BLOBS}${hit.id}?sig=standin`, matched_key: hit.key }
        : { ok: false };
    }
    case 'CreateCacheEntry': {
      if (entries.some((e) => e.key === key && e.version === version))
        return { ok: false, message: `cache entry ${key} already exists` };
      const entry = { id: entries.length + 1, key, version, body: undefined, finalised: false };
      entries.push(entry);
      return { ok: true, signed_upload_url: `${base}${BLOBS}${entry.id}?sig=standin` };
    }
    case 'FinalizeCacheEntryUpload': {
      const entry = entries.find((e) => e.key === key && e.version === version && !e.finalised);
      if (!entry?.body) return { ok: false, message: `no upload for ${key}` };
      entry.finalised = true;
      return { ok: true, entry_id: String(entry.id) };
    }
    default:
      return undefined;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
  const url = new URL(req.url ?? '/', base);
  if (req.method === 'GET' && url.pathname === '/standin/entries') {
    const state: StandinState = {
      entries: entries
        .filter((e) => e.finalised)
        .map((e) => ({ key: e.key, version: e.version, size: e.body?.length ?? 0 })),
      calls,
    };
    // The test asks between spawnSync runs that block its event loop for seconds: a kept-alive
    // socket would outlive the server's keep-alive timeout and fail the next ask ("other side closed").
    res.setHeader('connection', 'close');
    return json(res, 200, state);
  }
  if (req.method === 'POST' && url.pathname.startsWith(TWIRP)) {
    const method = url.pathname.slice(TWIRP.length);
    calls.push(`POST ${method}`);
    if (req.headers.authorization !== `Bearer ${process.env.STANDIN_TOKEN}`)
      return json(res, 401, { msg: 'bad token' });
    const answer = twirp(method, JSON.parse((await bodyOf(req)).toString('utf8')), base);
    return answer ? json(res, 200, answer) : json(res, 404, { code: 'bad_route', msg: method });
  }
  const entry = url.pathname.startsWith(BLOBS)
    ? entries.find((e) => e.id === Number(url.pathname.slice(BLOBS.length)))
    : undefined;
  if (entry && req.method === 'PUT') {
    calls.push('PUT blob');
    // Archives here are far below the SDK's single-shot limit (128 MiB): one Put Blob, no blocks.
    if (req.headers['x-ms-blob-type'] !== 'BlockBlob' || url.searchParams.has('comp'))
      return json(res, 400, { msg: 'only single-shot block blob uploads are served' });
    entry.body = await bodyOf(req);
    res.writeHead(201, { etag: `"${entry.id}"`, 'last-modified': new Date().toUTCString() }).end();
    return;
  }
  if (entry?.finalised && req.method === 'GET') {
    calls.push('GET blob');
    res.writeHead(200, { 'content-length': entry.body!.length }).end(entry.body);
    return;
  }
  json(res, 404, { msg: `no route ${req.method} ${url.pathname}` });
}

const server = createServer((req, res) => {
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handle(req, res, base).catch((error: unknown) => json(res, 500, { msg: String(error) }));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
