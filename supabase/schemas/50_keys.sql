-- Clients without GitHub, API keys and dashboard sessions: the service role's business only.

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

-- Revoking a key ends what it opened at once: the gateway and the dashboard ask, on every request
-- that carries a token issued for a key, whether that key is still live (tokens last 15 minutes,
-- dashboard sessions 8 hours; without this a revoked key's tokens kept working until they expired).

create or replace function idse.api_key_live(key_id bigint) returns boolean
language sql stable
set search_path = ''
as $$
  select exists (select from idse.api_keys k where k.id = api_key_live.key_id and k.revoked_at is null)
$$;

-- Ends a session of a live key: true when it was live until now. Rows of tokens past their expiry
-- go (they prove nothing any more: an expired token fails its own check).
create or replace function idse.end_dashboard_session(key_id bigint, token_id uuid, expires_at timestamptz)
returns boolean
language plpgsql volatile
set search_path = ''
as $$
begin
  delete from idse.dashboard_signouts s where s.expires_at < now();
  insert into idse.dashboard_signouts (token_id, key_id, client_id, expires_at)
  select end_dashboard_session.token_id, k.id, k.client_id, end_dashboard_session.expires_at
  from idse.api_keys k where k.id = end_dashboard_session.key_id
  on conflict do nothing;
  return found;
end
$$;

create or replace function idse.dashboard_session_live(key_id bigint, token_id uuid) returns boolean
language sql stable
set search_path = ''
as $$
  select idse.api_key_live(dashboard_session_live.key_id)
    and not exists (select from idse.dashboard_signouts s where s.token_id = dashboard_session_live.token_id)
$$;

revoke all on function
  idse.api_key_json(idse.api_keys),
  idse.create_client(jsonb),
  idse.find_client(text),
  idse.create_api_key(jsonb),
  idse.resolve_api_key(text),
  idse.list_api_keys(uuid),
  idse.revoke_api_key(bigint),
  idse.api_key_live(bigint),
  idse.end_dashboard_session(bigint, uuid, timestamptz),
  idse.dashboard_session_live(bigint, uuid)
  from public;
grant execute on function
  idse.api_key_json(idse.api_keys),
  idse.create_client(jsonb),
  idse.find_client(text),
  idse.create_api_key(jsonb),
  idse.resolve_api_key(text),
  idse.list_api_keys(uuid),
  idse.revoke_api_key(bigint),
  idse.api_key_live(bigint),
  idse.end_dashboard_session(bigint, uuid, timestamptz),
  idse.dashboard_session_live(bigint, uuid)
  to service_role;
