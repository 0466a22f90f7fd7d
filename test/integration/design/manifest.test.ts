import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesignManifest } from '../../../src/design/load.ts';
import { tempDir } from '../../helpers/cli.ts';

const MANIFEST = {
  components: [
    { id: 'button', name: 'Button', version: '2.1.0', previewUrl: 'https://design.example.com/button' },
  ],
};
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/design.json')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(MANIFEST));
    else if (req.url === '/broken.json') res.writeHead(200).end('{ not json');
    else if (req.url === '/wrong.json') res.writeHead(200).end(JSON.stringify({ components: [{ id: 'x' }] }));
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('loadDesignManifest from a URL', () => {
  it('loads and validates a manifest served over HTTP', async () => {
    expect(await loadDesignManifest(`${base}/design.json`, tempDir())).toEqual({
      source: `${base}/design.json`,
      manifest: MANIFEST,
    });
  });

  it('turns HTTP errors, bad JSON and schema violations into an error value, not an exception', async () => {
    expect(await loadDesignManifest(`${base}/missing.json`, tempDir())).toEqual({
      source: `${base}/missing.json`,
      error: 'HTTP 404 Not Found',
    });
    expect((await loadDesignManifest(`${base}/broken.json`, tempDir())) as { error: string }).toMatchObject({
      error: expect.stringMatching(/^not valid JSON: /),
    });
    expect(await loadDesignManifest(`${base}/wrong.json`, tempDir())).toEqual({
      source: `${base}/wrong.json`,
      error: '`components.0.name`: Invalid input: expected string, received undefined (+1 more)',
    });
  });
});
