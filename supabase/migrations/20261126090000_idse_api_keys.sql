-- Clients that are not GitHub accounts, and API keys.
--
-- A workspace that syncs through the gateway instead of the GitHub App belongs to a client created by
-- an agency admin (`idse agency clients add`), so a client no longer needs a GitHub account. Names of
-- such clients are unique ignoring case; GitHub clients keep their account login.
alter table idse.clients alter column github_account_id drop not null;
create unique index clients_name_without_github on idse.clients (lower(login)) where github_account_id is null;

-- API keys: what a CLI (scope sync) or a dashboard admin (scope admin) presents to Agency Core. Only a
-- SHA-256 of the key is kept: keys are 256-bit random strings, so a fast hash is enough and a database
-- leak reveals none of them. client_id null = an agency-wide key (admin only).
create table idse.api_keys (
  id bigint generated always as identity primary key,
  client_id uuid references idse.clients (client_id) on delete cascade,
  project text,
  scope text not null check (scope in ('sync', 'admin')),
  label text not null default '',
  key_prefix text not null,
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  check (scope = 'admin' or client_id is not null)
);
create index api_keys_client on idse.api_keys (client_id);

-- Credentials are service-only, like the outbox: RLS forced with no policy, no grant to tenants.
alter table idse.api_keys enable row level security;
alter table idse.api_keys force row level security;
grant select, insert, update, delete on idse.api_keys to service_role;
grant usage, select on all sequences in schema idse to service_role;

create or replace function idse.api_key_json(k idse.api_keys) returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', k.id,
    'client_id', k.client_id,
    'project', k.project,
    'scope', k.scope,
    'label', k.label,
    'key_prefix', k.key_prefix,
    'created_at', to_char(k.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'last_used_at', to_char(k.last_used_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'revoked_at', to_char(k.revoked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  )
$$;

-- A client by name (case-insensitive; GitHub clients by their login) or created without a GitHub account.
create or replace function idse.create_client(client jsonb) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_name text := btrim(client ->> 'name');
  v_existing text;
  v_id uuid;
begin
  if v_name is null or v_name = '' then
    raise exception using errcode = '22023', message = 'a client needs a name';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('idse.client:' || lower(v_name), 0));
  select client_id, login into v_id, v_existing from idse.clients where lower(login) = lower(v_name)
    order by github_account_id nulls last limit 1;
  if found then
    return jsonb_build_object('client_id', v_id, 'name', v_existing, 'created', false);
  end if;
  insert into idse.clients (login, account_type) values (v_name, 'Workspace') returning client_id into v_id;
  return jsonb_build_object('client_id', v_id, 'name', v_name, 'created', true);
end
$$;

-- A client named by its id or its name; null when there is none.
create or replace function idse.find_client(name_or_id text) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('client_id', c.client_id, 'login', c.login, 'github_account_id', c.github_account_id)
  from idse.clients c
  where c.client_id::text = lower(name_or_id) or lower(c.login) = lower(name_or_id)
  order by (c.client_id::text = lower(name_or_id)) desc, c.github_account_id nulls last
  limit 1
$$;

create or replace function idse.create_api_key(key jsonb) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row idse.api_keys;
begin
  insert into idse.api_keys (client_id, project, scope, label, key_prefix, key_hash)
  values ((key ->> 'client_id')::uuid, nullif(key ->> 'project', ''), key ->> 'scope',
    coalesce(key ->> 'label', ''), key ->> 'key_prefix', key ->> 'key_hash')
  returning * into v_row;
  return idse.api_key_json(v_row);
end
$$;

-- The live key with this hash, stamped as used; null when unknown or revoked.
create or replace function idse.resolve_api_key(key_hash text) returns jsonb
language sql volatile
set search_path = ''
as $$
  update idse.api_keys k set last_used_at = now()
  where k.key_hash = resolve_api_key.key_hash and k.revoked_at is null
  returning idse.api_key_json(k)
$$;

create or replace function idse.list_api_keys(for_client uuid default null) returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(idse.api_key_json(k) order by k.id), '[]')
  from idse.api_keys k
  where for_client is null or k.client_id = for_client
$$;

-- True when the key was live and is now revoked; revoking twice answers false.
create or replace function idse.revoke_api_key(key_id bigint) returns boolean
language sql volatile
set search_path = ''
as $$
  with revoked as (
    update idse.api_keys set revoked_at = now() where id = key_id and revoked_at is null returning 1
  )
  select exists (select from revoked)
$$;

revoke all on function idse.api_key_json(idse.api_keys), idse.create_client(jsonb), idse.find_client(text),
  idse.create_api_key(jsonb), idse.resolve_api_key(text), idse.list_api_keys(uuid), idse.revoke_api_key(bigint)
  from public;
grant execute on function idse.api_key_json(idse.api_keys), idse.create_client(jsonb), idse.find_client(text),
  idse.create_api_key(jsonb), idse.resolve_api_key(text), idse.list_api_keys(uuid), idse.revoke_api_key(bigint)
  to service_role;
