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
  /** The timestamp prefix, e.g. 20261206000000: the order, and the key recorded once applied. */
  version: string;
  name: string;
  sql: string;
  /** sha256 of the text with LF line ends, to notice a migration edited after it was applied. */
  checksum: string;
}

/** The repository's supabase/ folder (src/store → ../../supabase). */
export const DEFAULT_SUPABASE_DIR = fileURLToPath(new URL('../../supabase/', import.meta.url));

const FILE = /^(\d{14})_([\w-]+)\.sql$/;

/**
 * The migrations the baseline replaced, by version with their checksums. A database that ran every one
 * of them holds exactly the baseline's schema (the catalogs were compared before the squash, as
 * test/integration/store/schema.test.ts compares migrations and schema), so the runner records the
 * baseline as applied there instead of running it.
 */
export const SQUASHED: { baseline: string; versions: ReadonlyMap<string, string> } = {
  baseline: '20261206000000',
  versions: new Map([
    ['20261125120000', 'dd976f2b6ddf687a56c69c17ced4cacd0dc01f4289284006df0cf0020dff5d53'],
    ['20261125120100', '317c8988d80d626656dc20abe58bab514f09f01b74ccd3bc7ff4ae86d7fe9323'],
    ['20261125120200', 'e6dbe77beed3e79386eea02cda95c22f52c7a77dd15407c625d117cd7a03ada3'],
    ['20261125120300', '75003aefa7a948adb235eec1a421adcb1134ea12cfa72e22d352443d01d46352'],
    ['20261125120400', '3173238cd00ff52c1779da3df77c0768aaf2cfc6d6082079252ef1be03762266'],
    ['20261126090000', '9afb338c7e28c708e7f0a95abfced4fe63b590893a2defb7fc238f582fe6e8b7'],
    ['20261126100000', '9ee73a8f40162cfaf016b1f9638e089f774cfa3e7cc4bde4d166dc3ac866f6ee'],
    ['20261126110000', '169cdefa5220c146d4798d6185e15d41fc9a81f23d803309ed5002a8bbb4afdb'],
    ['20261126120000', '9706edd830e05dc291e1207a1c5b5c3ee8a6c695831af6b85dd936ac52ee54c5'],
    ['20261126130000', '96356d89ef4e0f11562f8c2d1c7d30fc59e69731e791c00c0ac66b23ceab1aed'],
    ['20261126140000', '78ab006cc8e0e15e1274976a8e4977cf08fdabbdde8475a1d3830dbe357bde34'],
    ['20261126150000', '87807a1ffe39ba66e878422906d7b6bf34a25885343ad0298b9fde0a18f31386'],
    ['20261127090000', '6950a1db50411c2a7ab014c8b76cf1992e84f7c2ddf7d69f0f683d0df1e5ace6'],
    ['20261127100000', '78dd2d4e82e73a859cc257d31ec89583692224c65aa1e7ecd1851050a09aa806'],
    ['20261127110000', '37513b74162d35c89e8e9e0b37e5659aaa1b7819bb0e4a95de3c80f9212db683'],
    ['20261127120000', '923e60a78e756fce7bb7840f3fa7df6cf45f43fa65bdb791404dfeffd80024ae'],
  ]),
};

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
