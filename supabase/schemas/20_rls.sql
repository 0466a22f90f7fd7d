-- Row-level security and grants.
--
-- Model (as on Supabase): requests run as one of three roles.
--   service_role   the App and the CLI gateway; BYPASSRLS, full access, calls the write functions.
--   authenticated  a dashboard user or a CLI token; sees only rows of the client named in its JWT.
--   anon           no token; no access at all.
-- RLS is enabled AND forced on every table, so even the tables' owner is filtered unless it bypasses
-- RLS explicitly (superuser, BYPASSRLS). Grants are minimal on top: authenticated may only SELECT, so a
-- write attempt is refused by privileges first and by the policies' WITH CHECK second.

-- Functions are executable by PUBLIC by default; in this schema nothing is, unless granted below or in
-- the file that creates it.
alter default privileges in schema idse revoke execute on functions from public;

-- The tenant of the current request: claim client_id, either top level (custom access token hook or a
-- token minted by the gateway) or in app_metadata (settable only with the service role, unlike
-- user_metadata). Anything that is not a uuid means "no tenant" rather than an error, so a malformed
-- token sees nothing instead of failing every query.
create or replace function idse.jwt_client_id() returns uuid
language sql stable
set search_path = ''
as $$
  select case
    when c ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then c::uuid
  end
  from (select coalesce(auth.jwt() ->> 'client_id', auth.jwt() -> 'app_metadata' ->> 'client_id') as c) as claims
$$;
revoke all on function idse.jwt_client_id() from public;
grant execute on function idse.jwt_client_id() to authenticated, service_role;

-- `(select idse.jwt_client_id())` is evaluated once per query (an init plan), not once per row.
alter table idse.clients enable row level security;
alter table idse.clients force row level security;
create policy tenant_isolation on idse.clients for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.installations enable row level security;
alter table idse.installations force row level security;
create policy tenant_isolation on idse.installations for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.repositories enable row level security;
alter table idse.repositories force row level security;
create policy tenant_isolation on idse.repositories for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.projects enable row level security;
alter table idse.projects force row level security;
create policy tenant_isolation on idse.projects for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.sessions enable row level security;
alter table idse.sessions force row level security;
create policy tenant_isolation on idse.sessions for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.session_states enable row level security;
alter table idse.session_states force row level security;
create policy tenant_isolation on idse.session_states for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.sync_events enable row level security;
alter table idse.sync_events force row level security;
create policy tenant_isolation on idse.sync_events for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.artifacts enable row level security;
alter table idse.artifacts force row level security;
create policy tenant_isolation on idse.artifacts for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.artifact_refs enable row level security;
alter table idse.artifact_refs force row level security;
create policy tenant_isolation on idse.artifact_refs for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.analytics enable row level security;
alter table idse.analytics force row level security;
create policy tenant_isolation on idse.analytics for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.session_weeks enable row level security;
alter table idse.session_weeks force row level security;
create policy tenant_isolation on idse.session_weeks for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.sync_blobs enable row level security;
alter table idse.sync_blobs force row level security;
create policy tenant_isolation on idse.sync_blobs for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.sync_requests enable row level security;
alter table idse.sync_requests force row level security;
create policy tenant_isolation on idse.sync_requests for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

alter table idse.published_docs enable row level security;
alter table idse.published_docs force row level security;
create policy tenant_isolation on idse.published_docs for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));

-- API keys and signed-out dashboard sessions are service-only: RLS on and forced with no policy, so
-- every other role sees zero rows even if a grant is added by mistake.
alter table idse.api_keys enable row level security;
alter table idse.api_keys force row level security;

alter table idse.dashboard_signouts enable row level security;
alter table idse.dashboard_signouts force row level security;

revoke all on schema idse from public;
grant usage on schema idse to anon, authenticated, service_role;

revoke all on all tables in schema idse from public, anon, authenticated;
grant select on
  idse.clients, idse.installations, idse.repositories, idse.projects, idse.sessions, idse.session_states,
  idse.sync_events, idse.artifacts, idse.artifact_refs, idse.analytics, idse.session_weeks, idse.sync_blobs,
  idse.sync_requests, idse.published_docs
  to authenticated;
grant select, insert, update, delete on
  idse.clients, idse.installations, idse.repositories, idse.projects, idse.sessions, idse.session_states,
  idse.sync_events, idse.artifacts, idse.artifact_refs, idse.analytics, idse.session_weeks, idse.sync_blobs,
  idse.sync_requests, idse.published_docs, idse.api_keys
  to service_role;
-- A signed-out session is only ever added or removed.
grant select, insert, delete on idse.dashboard_signouts to service_role;
grant usage, select on all sequences in schema idse to service_role;
