import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bearerToken,
  type HttpError,
  matchRoute,
  readJson,
  sendError,
  sendJson,
} from '../../../src/server/http.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A real server echoing what readJson made of the body, or the coded error it answered with. */
async function echo(limit: number): Promise<string> {
  server = createServer((req, res) => {
    readJson(req, limit).then(
      (value) => sendJson(res, 200, { value, token: bearerToken(req) ?? null }),
      (error: HttpError) => sendError(res, error),
    );
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('http helpers', () => {
  it('reads a JSON body and the bearer token', async () => {
    const url = await echo(1024);
    const res = await fetch(url, {
      method: 'POST',
      body: '{"a":1}',
      headers: { authorization: 'Bearer abc.def' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ value: { a: 1 }, token: 'abc.def' });
  });

  it('refuses a body over the limit with 413 payload-too-large', async () => {
    const url = await echo(16);
    const res = await fetch(url, { method: 'POST', body: JSON.stringify({ text: 'x'.repeat(100) }) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: { code: 'payload-too-large', message: 'the request body is larger than 16 bytes' },
    });
  });

  it('answers invalid UTF-8 and invalid JSON with their own codes', async () => {
    const url = await echo(1024);
    const bad = await fetch(url, { method: 'POST', body: new Uint8Array([0x7b, 0xff, 0x7d]) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid-utf8');
    const notJson = await fetch(url, { method: 'POST', body: '{nope' });
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('invalid-json');
  });

  it('matches a route by prefix, not by a longer name', () => {
    const routes = [{ prefix: '/mcp', handle: () => {} }];
    expect(matchRoute(routes, '/mcp')).toBe(routes[0]);
    expect(matchRoute(routes, '/mcp/sync/push')).toBe(routes[0]);
    expect(matchRoute(routes, '/mcpx')).toBeUndefined();
  });
});
