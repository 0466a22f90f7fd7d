/**
 * A TCP proxy in front of the App that breaks one connection the way networks do, for retry tests.
 * It watches the bytes of requests for document content (`"content":`), the request that uploads
 * blobs and then records the commit, and then either
 *   - `after-response`: lets the request through, waits until the server has answered (so it has
 *     written everything), and cuts the connection instead of passing the answer on; or
 *   - `mid-request`: passes on only part of that request and cuts both sides, as when the client dies
 *     half-way through an upload.
 * Every other byte goes through unchanged; after one cut the proxy is a plain relay.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export type CutMode = 'after-response' | 'mid-request';

export interface CuttingProxy {
  url: string;
  /** Whether the cut has happened. */
  cut(): boolean;
  close(): Promise<void>;
}

const MARK = Buffer.from('"content":');

export async function cuttingProxy(target: string, mode: CutMode): Promise<CuttingProxy> {
  const { hostname, port } = new URL(target);
  let done = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    const cutBoth = () => {
      done = true;
      client.destroy();
      upstream.destroy();
    };
    let armed = false;
    client.on('data', (chunk: Buffer) => {
      if (!done && chunk.includes(MARK)) {
        if (mode === 'mid-request') {
          upstream.write(chunk.subarray(0, chunk.indexOf(MARK)), cutBoth);
          return;
        }
        armed = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (armed && !done) return cutBoth();
      client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut: () => done,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
