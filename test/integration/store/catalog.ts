/**
 * What a database's catalog says about schema `idse`, as plain sorted rows, so two databases built
 * different ways (the migrations, the declarative schema) compare with one toEqual and a readable
 * diff. Privileges are exploded into (grantee, privilege) pairs: the order of GRANTs must not matter,
 * only what they leave behind.
 */
import pg from 'pg';

/** One query per kind of object; every row is a text, sorted, with the object's name first. */
const QUERIES = {
  functions: `select p.oid::regprocedure::text || e'\\n' || pg_get_functiondef(p.oid) as row
    from pg_proc p where p.pronamespace = 'idse'::regnamespace`,
  columns: `select c.oid::regclass::text || ' ' || c.relkind::text || ' ' || row_number() over w || ' ' || a.attname
      || ' ' || format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end
      || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
      || case a.attidentity when '' then '' else ' identity ' || a.attidentity::text end
      || case a.attgenerated when '' then '' else ' generated ' || a.attgenerated::text end as row
    from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
    where c.relnamespace = 'idse'::regnamespace and c.relkind in ('r', 'v', 'm', 'c', 'p', 'f')
    window w as (partition by c.oid order by a.attnum)`,
  tables: `select c.oid::regclass::text || ' ' || c.relkind::text || ' rls ' || c.relrowsecurity || ' forced '
      || c.relforcerowsecurity || ' options ' || coalesce(c.reloptions::text, '-') as row
    from pg_class c where c.relnamespace = 'idse'::regnamespace and c.relkind not in ('i', 'I', 't')`,
  constraints: `select coalesce(c.conrelid::regclass::text, c.contypid::regtype::text) || ' ' || c.conname || ' '
      || pg_get_constraintdef(c.oid) as row
    from pg_constraint c where c.connamespace = 'idse'::regnamespace`,
  indexes: `select indexdef as row from pg_indexes where schemaname = 'idse'`,
  policies: `select tablename || ' ' || policyname || ' ' || permissive || ' ' || roles::text || ' ' || cmd
      || ' using ' || coalesce(qual, '-') || ' check ' || coalesce(with_check, '-') as row
    from pg_policies where schemaname = 'idse'`,
  triggers: `select pg_get_triggerdef(t.oid) as row from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where c.relnamespace = 'idse'::regnamespace and not t.tgisinternal`,
  views: `select c.oid::regclass::text || e'\\n' || pg_get_viewdef(c.oid) as row
    from pg_class c where c.relnamespace = 'idse'::regnamespace and c.relkind in ('v', 'm')`,
  sequences: `select schemaname || '.' || sequencename || ' ' || data_type || ' ' || start_value || ' '
      || min_value || ' ' || max_value || ' ' || increment_by || ' ' || cycle as row
    from pg_sequences where schemaname = 'idse'`,
  grants: `select o.name || ' ' || coalesce(x.grantee::regrole::text, 'public') || ' ' || x.privilege_type
      || case when x.is_grantable then ' with grant option' else '' end as row
    from (
      select c.oid::regclass::text as name, coalesce(c.relacl, acldefault(
        (case when c.relkind = 'S' then 's' else 'r' end)::"char", c.relowner)) as acl
        from pg_class c where c.relnamespace = 'idse'::regnamespace and c.relkind not in ('i', 'I', 't', 'c')
      union all
      select p.oid::regprocedure::text, coalesce(p.proacl, acldefault('f'::"char", p.proowner))
        from pg_proc p where p.pronamespace = 'idse'::regnamespace
      union all
      select 'schema ' || n.nspname, coalesce(n.nspacl, acldefault('n'::"char", n.nspowner))
        from pg_namespace n where n.oid = 'idse'::regnamespace
      union all
      select 'type ' || t.oid::regtype::text, coalesce(t.typacl, acldefault('T'::"char", t.typowner))
        from pg_type t where t.typnamespace = 'idse'::regnamespace and t.typtype = 'c'
      union all
      select 'default for ' || d.defaclobjtype::text, d.defaclacl
        from pg_default_acl d where d.defaclnamespace = 'idse'::regnamespace
    ) o, aclexplode(o.acl) x`,
  comments: `select 'schema idse ' || d.description as row
    from pg_description d where d.classoid = 'pg_namespace'::regclass and d.objoid = 'idse'::regnamespace
    union all
    select c.oid::regclass::text || ' ' || d.objsubid || ' ' || d.description
    from pg_description d join pg_class c on c.oid = d.objoid and d.classoid = 'pg_class'::regclass
    where c.relnamespace = 'idse'::regnamespace
    union all
    select p.oid::regprocedure::text || ' ' || d.description
    from pg_description d join pg_proc p on p.oid = d.objoid and d.classoid = 'pg_proc'::regclass
    where p.pronamespace = 'idse'::regnamespace`,
} as const;

export type Catalog = Record<keyof typeof QUERIES, string[]>;

export async function readCatalog(url: string): Promise<Catalog> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const catalog = {} as Catalog;
    for (const [kind, text] of Object.entries(QUERIES) as [keyof Catalog, string][]) {
      const { rows } = await client.query<{ row: string }>(`select row from (${text}) q order by 1`);
      catalog[kind] = rows.map((r) => r.row);
    }
    return catalog;
  } finally {
    await client.end();
  }
}
