-- Small files the App reads whole, by git blob id, kept across restarts (issue 19).

-- Small files the App reads whole at every run (a project's CURRENT_SESSION, session JSON, the
-- blueprint's governance docs), by git blob id: a restarted App, or another replica, takes an
-- unchanged file from here instead of downloading it again. Not tenant data, for the reason given
-- for idse.doc_facts: an entry is the content its blob id names, found only by that id, which the
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
