/**
 * Squashes the migrations into one baseline written from the declarative schema:
 * supabase/migrations/<version>_idse_baseline.sql = the files of supabase/schemas/ in their order.
 *
 *   node scripts/schema-baseline.ts [version]     (version: 14 digits, default now in UTC)
 *
 * Only for a repository whose migrations no database still needs one by one: it refuses while
 * supabase/migrations/ holds any migration (delete them first), and the runner must learn the versions
 * it replaces (SQUASHED in src/store/migrations.ts). docs/store.md, Migrations, says when and how.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SUPABASE_DIR, loadMigrations, loadSchema } from '../src/store/migrations.ts';

const dir = join(DEFAULT_SUPABASE_DIR, 'migrations');
const version = process.argv[2] ?? new Date().toISOString().replace(/\D/g, '').slice(0, 14);
if (!/^\d{14}$/.test(version)) {
  console.error(`schema-baseline: the version must be 14 digits, not ${version}`);
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const existing = loadMigrations(dir);
if (existing.length > 0) {
  console.error(
    `schema-baseline: ${dir} still holds ${existing.length} migration(s); delete them first (docs/store.md, Migrations)`,
  );
  process.exit(1);
}

const parts = loadSchema().map((file) => `-- supabase/schemas/${file.name}\n\n${file.sql.trimEnd()}\n`);
const sql = [
  '-- The idse schema as one migration: the files of supabase/schemas/ in order, written by',
  '-- scripts/schema-baseline.ts. Never edit it: a change is a new migration plus the same change in its',
  '-- schema file (docs/store.md, Migrations).\n',
  ...parts,
  '-- PostgREST caches the schema; ask it to reload so the rpc functions are callable at once. Without a',
  '-- PostgREST listening (plain Postgres, PGlite) this notification goes nowhere.',
  "notify pgrst, 'reload schema';\n",
].join('\n');
const file = join(dir, `${version}_idse_baseline.sql`);
writeFileSync(file, sql);
console.log(`wrote ${file}`);
