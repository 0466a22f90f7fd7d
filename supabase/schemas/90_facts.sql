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

-- Small files the App reads whole at every run (a project's CURRENT_SESSION, session JSON, the
-- blueprint's governance docs), by git blob id: a restarted App, or another replica, takes an
-- unchanged file from here instead of downloading it again. Not tenant data, for the reason given
-- for doc_facts above: an entry is the content its blob id names, found only by that id, which the
-- App takes from trees it reads with the installation's token (and checks the text against it).
-- Service role only: RLS on and forced with no policy. Kept while used, as doc_facts.
create table idse.blob_texts (
  sha text primary key check (sha ~ '^[0-9a-f]{40}([0-9a-f]{24})?$'),
  text text not null check (octet_length(text) <= 65536),
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now()
);
create index blob_texts_last_used on idse.blob_texts (last_used_at);

alter table idse.blob_texts enable row level security;
alter table idse.blob_texts force row level security;
revoke all on idse.blob_texts from public, anon, authenticated;
grant select, insert, update, delete on idse.blob_texts to service_role;

-- The texts the store has among `shas` (a JSON array of blob ids), as {sha: text}; stamps them as used.
create or replace function idse.fetch_blob_texts(shas jsonb) returns json
language sql volatile
set search_path = ''
as $$
  with wanted as (
    select distinct s.sha from jsonb_array_elements_text(shas) as s (sha)
  ), found as (
    select t.sha, t.text, t.last_used_at from idse.blob_texts t join wanted w on w.sha = t.sha
  ), stamped as (
    update idse.blob_texts t set last_used_at = now()
    from found
    where t.sha = found.sha and found.last_used_at < now() - interval '1 day'
  )
  select coalesce(json_object_agg(found.sha, found.text), '{}'::json) from found
$$;

-- Adds texts (`entries`: [{sha, text}]) for blob ids the store lacks (a blob id names one content),
-- then drops entries unused for 30 days. Returns how many entries were added.
create or replace function idse.save_blob_texts(entries jsonb) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_added integer;
begin
  insert into idse.blob_texts (sha, text)
  select e ->> 'sha', e ->> 'text' from jsonb_array_elements(entries) as e
  on conflict (sha) do nothing;
  get diagnostics v_added = row_count;
  delete from idse.blob_texts where last_used_at < now() - interval '30 days';
  return v_added;
end
$$;

revoke all on function idse.fetch_blob_texts(jsonb), idse.save_blob_texts(jsonb) from public;
grant execute on function idse.fetch_blob_texts(jsonb), idse.save_blob_texts(jsonb) to service_role;
