-- Signing out of the dashboard ends the session on the server, not only in the browser. A session is
-- a signed token (8 hours) kept in a cookie; clearing the cookie left a copy of the token valid until
-- it expired. Each signed-out token's id is kept here, with the key it was issued for, until its
-- expiry, and every request that carries a dashboard token asks dashboard_session_live (the key still
-- live, the token not signed out): one call, as api_key_live was before.

create table idse.dashboard_signouts (
  token_id uuid primary key,
  key_id bigint not null references idse.api_keys (id) on delete cascade,
  -- The key's client (null for an agency-wide key), as on api_keys.
  client_id uuid references idse.clients (client_id) on delete cascade,
  expires_at timestamptz not null
);
create index dashboard_signouts_expiry on idse.dashboard_signouts (expires_at);
create index dashboard_signouts_key on idse.dashboard_signouts (key_id);

-- Service-only, like api_keys: RLS forced with no policy, no grant to tenants.
alter table idse.dashboard_signouts enable row level security;
alter table idse.dashboard_signouts force row level security;
revoke all on idse.dashboard_signouts from public, anon, authenticated;
grant select, insert, delete on idse.dashboard_signouts to service_role;

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

revoke all on function idse.end_dashboard_session(bigint, uuid, timestamptz),
  idse.dashboard_session_live(bigint, uuid) from public;
grant execute on function idse.end_dashboard_session(bigint, uuid, timestamptz),
  idse.dashboard_session_live(bigint, uuid) to service_role;

notify pgrst, 'reload schema';
