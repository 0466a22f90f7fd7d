/**
 * How `idse agency …` finds the App that holds an embedded store. PGlite allows one process per data
 * dir, so while `idse app` runs on it, admin commands go through the App's admin API instead. The App
 * leaves its address and a secret in the data dir (`idse-app.json`, readable by its owner only) and
 * removes them when it stops. The secret is worth no more than the folder it lies in: whoever can
 * read the data dir can read the database itself.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { isAlive } from '../store/backends/pglite-lock.ts';

const FILE = 'idse-app.json';

const EndpointSchema = z.object({
  pid: z.number().int().positive(),
  /** The App's base URL, reachable from this machine. */
  url: z.url(),
  /** Bearer credential of the admin API, agency-wide. */
  token: z.string().min(32),
});
export type AppEndpoint = z.infer<typeof EndpointSchema>;

/** A fresh secret for the admin API of this App process. */
export const newLocalToken = (): string => `idse_local_${randomBytes(32).toString('base64url')}`;

/** Constant-time comparison of a presented credential with the local secret. */
export function isLocalToken(presented: string, token: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The URL a local client reaches a server at: a wildcard address means this machine's loopback. */
export function localUrl(address: AddressInfo): string {
  const wildcard = address.address === '::' || address.address === '0.0.0.0';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Leaves the App's address in the data dir (atomically, owner-only); returns the function that removes it. */
export function publishEndpoint(dataDir: string, endpoint: AppEndpoint): () => void {
  const file = join(dataDir, FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(endpoint), { mode: 0o600 });
  renameSync(temp, file);
  return () => {
    if (readEndpointFile(file)?.pid === endpoint.pid) rmSync(file, { force: true });
  };
}

/** The App serving this data dir, if one is running (a file left by a process that died is ignored). */
export function runningApp(dataDir: string): AppEndpoint | undefined {
  const endpoint = readEndpointFile(join(dataDir, FILE));
  return endpoint && endpoint.pid !== process.pid && isAlive(endpoint.pid) ? endpoint : undefined;
}

function readEndpointFile(file: string): AppEndpoint | undefined {
  try {
    const parsed = EndpointSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
