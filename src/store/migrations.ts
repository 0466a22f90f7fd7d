/**
 * Reading the SQL the runner applies: supabase/migrations/<version>_<name>.sql (the Supabase CLI's
 * layout, so `supabase db push` and our runner apply the very same files) and the auth shim; and the
 * declarative schema in supabase/schemas/, which the migrations must add up to.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from './errors.ts';

export interface Migration {
  /** The timestamp prefix, e.g. 20261125120000: the order, and the key recorded once applied. */
  version: string;
  name: string;
  sql: string;
  /** sha256 of the text with LF line ends, to notice a migration edited after it was applied. */
  checksum: string;
}

/** The repository's supabase/ folder (src/store → ../../supabase). */
export const DEFAULT_SUPABASE_DIR = fileURLToPath(new URL('../../supabase/', import.meta.url));

const FILE = /^(\d{14})_([\w-]+)\.sql$/;

export function loadMigrations(dir = join(DEFAULT_SUPABASE_DIR, 'migrations')): Migration[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new StoreError('store-misconfigured', `no migrations folder at ${dir}`);
  }
  const migrations: Migration[] = [];
  for (const file of names.sort()) {
    const match = FILE.exec(file);
    if (!match) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    migrations.push({ version: match[1]!, name: match[2]!, sql, checksum: checksum(sql) });
  }
  const versions = new Set<string>();
  for (const m of migrations) {
    if (versions.has(m.version)) {
      throw new StoreError('store-misconfigured', `two migrations share version ${m.version} in ${dir}`);
    }
    versions.add(m.version);
  }
  return migrations;
}

export interface SchemaFile {
  name: string;
  sql: string;
}

/**
 * supabase/schemas/*.sql in file-name order (the order `schema_paths` in supabase/config.toml gives
 * the Supabase CLI): every table, function and grant, each in one place, as the migrations leave them.
 */
export function loadSchema(dir = join(DEFAULT_SUPABASE_DIR, 'schemas')): SchemaFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }));
}

/** The dev/test stand-in for Supabase's auth schema and roles (see supabase/shim/auth.sql). */
export function loadAuthShim(file = join(DEFAULT_SUPABASE_DIR, 'shim', 'auth.sql')): string {
  return readFileSync(file, 'utf8');
}

export function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}
