/**
 * Fresh databases on the real PostgreSQL server (127.0.0.1:5432 here and in CI; IDSE_TEST_PG_URL to
 * point elsewhere). Each test file gets its own database, so files run in parallel without sharing
 * rows, and drops it afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/** Admin connection used to create and drop test databases. */
export const PG_ADMIN_URL = process.env.IDSE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function urlFor(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE idse_test_<random>; `drop()` removes it even while connections remain. */
export async function createTestDatabase(prefix = 'idse_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  return {
    name,
    url: urlFor(name),
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** A fresh database for the current test file: created before its tests, dropped after them. */
export function useTestDatabase(prefix?: string): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(prefix);
  });
  afterAll(async () => {
    await db?.drop();
  });
  return () => {
    if (!db) throw new Error('useTestDatabase: the database exists only inside tests');
    return db;
  };
}
