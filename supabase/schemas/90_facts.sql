-- Facts of docs by content: what the engine extracted from a doc's bytes (DocFacts,
-- src/pipeline/facts.ts), keyed by a digest of everything extraction depends on followed by the
-- bytes' git blob id (factsKey, src/model/build.ts). Every App replica shares them and they outlive a
-- restart, so a push parses (and the App downloads) only content no client pushed before. Not tenant
-- data: an entry follows from content alone and is found only by its blob id, which the App takes from
-- trees it reads with the installation's token (GitHub lets a tree name only blobs its repository
-- holds) and the gateway checks against the content it is sent: a caller reaches only facts of docs
-- it can read.
-- Service role only: RLS on and forced with no policy.
--
-- Kept while used: reading an entry stamps it (at most once a day, so warm pushes do not rewrite their
-- rows), and every write drops entries no read stamped for 30 days.
create table idse.doc_facts (
  key text primary key check (key ~ '^[A-Za-z0-9_-]{16,88}$'),
  facts jsonb not null check (jsonb_typeof(facts) = 'object'),
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now()
);
create index doc_facts_last_used on idse.doc_facts (last_used_at);

alter table idse.doc_facts enable row level security;
alter table idse.doc_facts force row level security;
revoke all on idse.doc_facts from public, anon, authenticated;
grant select, insert, update, delete on idse.doc_facts to service_role;

-- The facts the store has among `keys` (a JSON array of keys), as {key: facts}; stamps them as used.
-- Answers json, not jsonb: aggregating a thousand docs' facts as text is several times faster than
-- building one large jsonb value, and the caller only parses it.
create or replace function idse.fetch_doc_facts(keys jsonb) returns json
language sql volatile
set search_path = ''
as $$
  with wanted as (
    select distinct k.key from jsonb_array_elements_text(keys) as k (key)
  ), found as (
    select f.key, f.facts, f.last_used_at from idse.doc_facts f join wanted w on w.key = f.key
  ), stamped as (
    update idse.doc_facts f set last_used_at = now()
    from found
    where f.key = found.key and found.last_used_at < now() - interval '1 day'
  )
  select coalesce(json_object_agg(found.key, found.facts), '{}'::json) from found
$$;

-- Adds facts (`entries`: [{key, facts}]) for keys the store lacks; a key already stored keeps its
-- facts (the same key means the same content and extraction). Then drops entries unused for 30 days.
-- Returns how many entries were added.
create or replace function idse.save_doc_facts(entries jsonb) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_added integer;
begin
  insert into idse.doc_facts (key, facts)
  select e ->> 'key', e -> 'facts' from jsonb_array_elements(entries) as e
  on conflict (key) do nothing;
  get diagnostics v_added = row_count;
  delete from idse.doc_facts where last_used_at < now() - interval '30 days';
  return v_added;
end
$$;

revoke all on function idse.fetch_doc_facts(jsonb), idse.save_doc_facts(jsonb) from public;
grant execute on function idse.fetch_doc_facts(jsonb), idse.save_doc_facts(jsonb) to service_role;
