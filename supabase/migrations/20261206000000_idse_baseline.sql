-- The idse schema as one migration: the files of supabase/schemas/ in order, written by
-- scripts/schema-baseline.ts. Never edit it: a change is a new migration plus the same change in its
-- schema file (docs/store.md, Migrations).

-- supabase/schemas/10_tables.sql

-- idse store: tables and indexes. The git repo is the source of truth; these tables mirror it and can
-- be rebuilt from git at any time. Every tenant row carries client_id, and child rows reference their
-- parent through (client_id, id) so a row can never point at another tenant's parent.
--
-- Everything lives in schema `idse` (exposed to PostgREST via [api].schemas in config.toml) so the
-- mirror never mixes with an app's own `public` tables.

create schema if not exists idse;
comment on schema idse is 'idse: mirror of IDSE pipeline docs and validation results (see docs/store.md)';

-- A client of the agency = one GitHub account (organisation or user) that installed the App, or a
-- workspace that syncs through the gateway instead, created by an agency admin (`idse agency clients
-- add`): github_account_id null. Names of such clients are unique ignoring case; GitHub clients keep
-- their account login.
create table idse.clients (
  client_id uuid primary key default gen_random_uuid(),
  github_account_id bigint unique,
  login text not null,
  account_type text not null default 'Organization',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index clients_name_without_github on idse.clients (lower(login)) where github_account_id is null;

create table idse.installations (
  id bigint primary key, -- GitHub installation id
  client_id uuid not null references idse.clients (client_id) on delete cascade,
  suspended_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index installations_client on idse.installations (client_id);

-- A GitHub repository (source 'github'), or a workspace synced through the gateway (source 'sync', one
-- per client and project; see docs/sync.md). A synced workspace's id comes from a descending sequence
-- of negative numbers, so it can never collide with a GitHub repository id (always positive), and
-- every table keyed by repository holds synced docs exactly like mirrored ones.
create table idse.repositories (
  id bigint primary key, -- GitHub repository id: stable across renames and transfers
  client_id uuid not null references idse.clients (client_id) on delete cascade,
  installation_id bigint references idse.installations (id) on delete cascade,
  full_name text not null,
  default_branch text,
  removed_at timestamptz, -- removed from the installation; rows are kept (history, analytics)
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source text not null default 'github',
  sync_project text,
  unique (client_id, id),
  constraint repositories_source_shape check (
    case source
      when 'github' then installation_id is not null and id > 0 and sync_project is null
      when 'sync' then installation_id is null and id < 0 and sync_project is not null
      else false
    end
  )
);
create index repositories_installation on idse.repositories (installation_id);
create unique index repositories_sync_project on idse.repositories (client_id, sync_project)
  where source = 'sync';
create sequence idse.sync_repository_ids as bigint increment by -1 maxvalue -1 start with -1;

create table idse.projects (
  id bigint generated always as identity primary key,
  client_id uuid not null,
  repository_id bigint not null,
  name text not null,
  created_at timestamptz not null default now(),
  -- Archived projects and sessions leave the default views and keep their rows (history); every
  -- agency read function takes with_archived to show them.
  archived_at timestamptz,
  unique (repository_id, name),
  unique (client_id, id),
  foreign key (client_id, repository_id) references idse.repositories (client_id, id) on delete cascade
);
create index projects_client on idse.projects (client_id);

create table idse.sessions (
  id bigint generated always as identity primary key,
  client_id uuid not null,
  project_id bigint not null,
  name text not null,
  -- Validation runs of this session and those with zero errors. Kept by record_validation in the same
  -- transaction as the analytics rows (deliveries are deduplicated), so the dashboard's pass rate is a
  -- read of two integers instead of an aggregate over every run.
  runs integer not null default 0,
  passed_runs integer not null default 0,
  created_at timestamptz not null default now(),
  archived_at timestamptz,
  -- Rollups of the counted runs (idse.rollup_runs): the first run, the first passing run, and element
  -- i of stage_times: when the session first reached stage i (idse.stages()), in epoch seconds: the
  -- form the dashboard reads (converting timestamps on every agency-wide page made that part of it
  -- twice as slow). Stages are reached in order, so this is a prefix of the stage list: its length is
  -- the furthest stage reached.
  first_run_at timestamptz,
  first_passed_at timestamptz,
  stage_times bigint[] not null default '{}',
  -- The ref of the session's latest state (idse.pick_latest_states), kept by triggers on
  -- session_states and on a repository's default branch, so session_latest joins one row per session
  -- by primary key instead of sorting each session's states.
  latest_ref text,
  unique (project_id, name),
  unique (client_id, id),
  foreign key (client_id, project_id) references idse.projects (client_id, id) on delete cascade
);
create index sessions_client on idse.sessions (client_id);

-- Latest validated state of a session on a ref. Updated only by a commit at least as new as the one it
-- holds, so an older push delivered late never overwrites a newer state.
create table idse.session_states (
  client_id uuid not null,
  session_id bigint not null,
  ref text not null,
  commit_sha text not null,
  committed_at timestamptz not null,
  stage text,
  status text,
  errors integer not null default 0,
  warnings integer not null default 0,
  coverage jsonb not null default '{}',
  sync_event_id bigint,
  updated_at timestamptz not null default now(),
  -- The run's open markers and findings per rule, so reading the current state needs no join to the
  -- runs.
  markers integer check (markers >= 0),
  rules jsonb not null default '{}',
  primary key (session_id, ref),
  foreign key (client_id, session_id) references idse.sessions (client_id, id) on delete cascade
);
create index session_states_client on idse.session_states (client_id);

-- One row per webhook delivery; the unique delivery id makes redelivery a no-op.
create table idse.sync_events (
  id bigint generated always as identity primary key,
  client_id uuid not null references idse.clients (client_id) on delete cascade,
  delivery_id text not null unique,
  kind text not null check (kind in ('installation', 'validation', 'sync_push')),
  action text,
  repository_id bigint,
  ref text,
  commit_sha text,
  committed_at timestamptz,
  stats jsonb not null default '{}',
  received_at timestamptz not null default now(),
  foreign key (client_id, repository_id) references idse.repositories (client_id, id) on delete cascade
);
create index sync_events_client_time on idse.sync_events (client_id, received_at desc);
create index sync_events_repository on idse.sync_events (repository_id);

-- One row per version of a doc: (repository, path, git blob SHA). The same blob seen again at another
-- commit is the same row; its diagnostics follow the newest commit it was validated at (cross-doc rules
-- make diagnostics depend on the neighbours, not only on the blob).
create table idse.artifacts (
  id bigint generated always as identity primary key,
  client_id uuid not null,
  repository_id bigint not null,
  path text not null,
  blob_sha text not null,
  kind text,
  project_id bigint,
  session_id bigint,
  summary jsonb not null default '{}',
  diagnostics jsonb not null default '[]',
  commit_sha text not null,
  committed_at timestamptz not null,
  created_at timestamptz not null default now(),
  unique (repository_id, path, blob_sha),
  foreign key (client_id, repository_id) references idse.repositories (client_id, id) on delete cascade,
  foreign key (client_id, session_id) references idse.sessions (client_id, id) on delete set null (session_id)
);
create index artifacts_client on idse.artifacts (client_id);
create index artifacts_session on idse.artifacts (session_id) where session_id is not null;
-- Finding a blob's doc versions by content, within one repository.
create index artifacts_repository_blob on idse.artifacts (repository_id, blob_sha);

-- Which version of a path is current on a ref. Moves only to a newer commit (committed_at, then commit
-- sha as a deterministic tie-break). artifact_id null = the path was deleted as of that commit: the row
-- stays as a tombstone so an older commit arriving later cannot bring the path back.
create table idse.artifact_refs (
  client_id uuid not null,
  repository_id bigint not null,
  ref text not null,
  path text not null,
  artifact_id bigint references idse.artifacts (id) on delete cascade,
  blob_sha text,
  commit_sha text not null,
  committed_at timestamptz not null,
  sync_event_id bigint,
  updated_at timestamptz not null default now(),
  primary key (repository_id, ref, path),
  foreign key (client_id, repository_id) references idse.repositories (client_id, id) on delete cascade
);
create index artifact_refs_client on idse.artifact_refs (client_id);

-- Analytics: one row per (validation run, session) with error/warning totals and counts per rule code.
-- Pass rate = rows with errors = 0 / all rows, over any grouping or time window.
create table idse.analytics (
  id bigint generated always as identity primary key,
  client_id uuid not null,
  sync_event_id bigint not null references idse.sync_events (id) on delete cascade,
  repository_id bigint not null,
  session_id bigint not null,
  ref text not null,
  commit_sha text not null,
  committed_at timestamptz not null,
  errors integer not null,
  warnings integer not null,
  passed boolean generated always as (errors = 0) stored,
  rules jsonb not null default '{}', -- {"IDSE012": 3, …}
  recorded_at timestamptz not null default now(),
  -- The session's stage and open [REQUIRES INPUT] markers at this run; null for a client that doesn't
  -- send them.
  stage text,
  markers integer check (markers >= 0),
  unique (sync_event_id, session_id),
  foreign key (client_id, repository_id) references idse.repositories (client_id, id) on delete cascade,
  foreign key (client_id, session_id) references idse.sessions (client_id, id) on delete cascade
);
create index analytics_client_time on idse.analytics (client_id, recorded_at);
create index analytics_session_time on idse.analytics (session_id, committed_at);

-- Rollup for the dashboard's weekly series, per session and ISO week (UTC, Monday): runs, passing
-- runs, and the change in open markers that week (summed over weeks = markers open at the end of a
-- week). Kept by every mirrored commit (idse.rollup_runs) in the same transaction.
create table idse.session_weeks (
  client_id uuid not null,
  session_id bigint not null,
  week date not null,
  runs integer not null default 0,
  passed_runs integer not null default 0,
  markers_delta integer not null default 0,
  primary key (session_id, week),
  foreign key (client_id, session_id) references idse.sessions (client_id, id) on delete cascade
);
create index session_weeks_client_week on idse.session_weeks (client_id, week);

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

-- Content of every blob a synced workspace pushed, once per (workspace, git blob SHA). The agency can
-- read a synced client's docs only from here (there is no GitHub to fetch them from), and a push that
-- changes one doc is validated with its unchanged neighbours read back from this table.
create table idse.sync_blobs (
  client_id uuid not null,
  repository_id bigint not null,
  blob_sha text not null,
  content text not null,
  size integer not null,
  created_at timestamptz not null default now(),
  primary key (repository_id, blob_sha),
  foreign key (client_id, repository_id) references idse.repositories (client_id, id) on delete cascade
);
create index sync_blobs_client on idse.sync_blobs (client_id);

-- Push request ids already seen: a request sent again with the same id (a replay) is refused. Retries
-- send a new id and are made harmless by the commit being recorded once (its delivery id).
create table idse.sync_requests (
  request_id uuid primary key,
  client_id uuid not null references idse.clients (client_id) on delete cascade,
  received_at timestamptz not null default now()
);
create index sync_requests_client on idse.sync_requests (client_id);
create index sync_requests_time on idse.sync_requests (received_at);

-- What the agency published for a client (project null = every project of the client). Append-only:
-- the id is the pull cursor. Publishes of one client are serialised (publish_doc), so ids become
-- visible in order and a reader never skips a row committed late with a lower id.
create table idse.published_docs (
  id bigint generated always as identity primary key,
  client_id uuid not null references idse.clients (client_id) on delete cascade,
  project text,
  path text not null,
  kind text not null check (kind in ('constitution', 'template', 'feedback', 'doc')),
  content text not null,
  blob_sha text not null,
  published_at timestamptz not null default now()
);
create index published_docs_pull on idse.published_docs (client_id, id);

-- Signed-out dashboard sessions. A session is a signed token (8 hours) kept in a cookie; each
-- signed-out token's id is kept here, with the key it was issued for, until its expiry, and every
-- request that carries a dashboard token asks dashboard_session_live (the key still live, the token
-- not signed out).
create table idse.dashboard_signouts (
  token_id uuid primary key,
  key_id bigint not null references idse.api_keys (id) on delete cascade,
  -- The key's client (null for an agency-wide key), as on api_keys.
  client_id uuid references idse.clients (client_id) on delete cascade,
  expires_at timestamptz not null
);
create index dashboard_signouts_expiry on idse.dashboard_signouts (expires_at);
create index dashboard_signouts_key on idse.dashboard_signouts (key_id);

-- supabase/schemas/20_rls.sql

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

-- supabase/schemas/30_rollups.sql

-- Latest states and rollups, kept by every mirrored commit in the same transaction, so a page reads a
-- few thousand rows instead of every run of a year.
--
-- The default branch is the truth. A session's state, its pass rate, its stage times and its trends
-- are those of the repository's default branch; a push to any other ref (a work-in-progress branch,
-- a pull request) is kept as that ref's state and runs, shown as a branch, and never becomes the
-- session's state. Only a repository whose default branch is unknown (not named by the App, or by a
-- synced workspace's client) counts every ref, and its latest state is the newest on any ref.
--
-- 1. pick_latest_states: sessions.latest_ref, the session's state on the default branch (none when
--    it has no state there yet). Kept by triggers on session_states and on a repository's default
--    branch, whoever writes them, so session_latest joins one row per session by primary key instead
--    of sorting each session's states (measured on the dashboard benchmark, 5,000 sessions: 15 ms →
--    5 ms, on every agency page and twice on the agency-wide one).
-- 2. rollup_runs: a run's rollups (runs, passing runs, first run, first passing run, stage times, the
--    weekly runs and open markers), for counted refs only (ref_counts).
-- 3. rebuild_rollups recomputes a session's rollups from its runs, when a repository's default branch
--    changes (or becomes known), by trigger.

-- The small helpers below are called per row or used as tables, so they carry no `set search_path`:
-- that clause stops Postgres from inlining a SQL function into the query that calls it (measured:
-- reading 5,000 sessions through sessions_in_view took twice as long with it). Every name in them is
-- schema-qualified or pg_catalog's, and they run with the caller's rights.

-- The pipeline in order, as src/pipeline/stages.ts STAGES (the store contract tests check they agree);
-- a stage's rank is its 1-based position.
create or replace function idse.stages() returns text[]
language sql immutable
as $$ select array['intent', 'context', 'spec', 'plan', 'tasks', 'implementation', 'feedback'] $$;

-- The ISO week (Monday, UTC) a time falls in: the bucket of every weekly series.
create or replace function idse.week_of(t timestamptz) returns date
language sql immutable
as $$ select date_trunc('week', t at time zone 'UTC')::date $$;

-- Times as client_summary writes them: ISO 8601 in UTC whatever the server's TimeZone setting.
create or replace function idse.iso(t timestamptz) returns text
language sql stable
as $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;

-- Whether the runs of `p_ref` count for the session rollups of a repository whose default branch is
-- `p_default_branch` (null: not known, every ref counts).
create or replace function idse.ref_counts(p_ref text, p_default_branch text) returns boolean
language sql immutable
as $$ select p_default_branch is null or p_ref = 'refs/heads/' || p_default_branch $$;

-- Points the given sessions at their latest state (null when they have none, see above). PL/pgSQL, so
-- each connection plans the update once rather than on every write (a SQL function's plan lives for
-- one call).
create or replace function idse.pick_latest_states(session_ids bigint[]) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  update idse.sessions se set latest_ref = pick.ref
  from idse.sessions x
  join idse.projects pr on pr.id = x.project_id
  join idse.repositories r on r.id = pr.repository_id
  left join lateral (
    select s.ref from idse.session_states s
    where s.session_id = x.id and idse.ref_counts(s.ref, r.default_branch)
    order by s.committed_at desc, s.commit_sha desc
    limit 1
  ) as pick on true
  where x.id = any(session_ids) and se.id = x.id and se.latest_ref is distinct from pick.ref;
end
$$;

-- The rollups of one run (its analytics rows are written), for counted refs only: runs and passing
-- runs, first run and first passing run, stage times, weekly series. The states the run set get its
-- markers and findings whatever the ref: they are that branch's state. Called by mirror_commit;
-- order-independent, so a late delivery of an older commit lands right:
--   markers: a run changes the open markers of its session by (its markers - the previous run's), in
--   commit order; slotting a run between two others also changes the next run's change, so both weeks
--   are adjusted. Runs without markers are skipped.
create or replace function idse.rollup_runs(event_id bigint) returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_default text;
  v_ref text;
begin
  update idse.session_states st set markers = an.markers, rules = an.rules
  from idse.analytics an
  where an.sync_event_id = event_id and st.sync_event_id = event_id and st.session_id = an.session_id;

  select r.default_branch, e.ref into v_default, v_ref
  from idse.sync_events e join idse.repositories r on r.id = e.repository_id
  where e.id = event_id;
  if not idse.ref_counts(v_ref, v_default) then
    return;
  end if;

  -- A run at stage k: stages 1..k were reached by its commit time at the latest.
  update idse.sessions se set
    runs = se.runs + 1,
    passed_runs = se.passed_runs + (case when an.errors = 0 then 1 else 0 end),
    first_run_at = least(se.first_run_at, an.committed_at),
    first_passed_at = case when an.errors = 0 then least(se.first_passed_at, an.committed_at)
                           else se.first_passed_at end,
    stage_times = array(
      select case when i <= x.rank then least(se.stage_times[i], x.at) else se.stage_times[i] end
      from generate_series(1, greatest(x.rank, cardinality(se.stage_times))) as i
      order by i)
  from idse.analytics an
  cross join lateral (
    select coalesce(array_position(idse.stages(), an.stage), 0) as rank,
      extract(epoch from an.committed_at)::bigint as at
  ) as x
  where an.sync_event_id = event_id and an.session_id = se.id;

  insert into idse.session_weeks as w (client_id, session_id, week, runs, passed_runs)
  select an.client_id, an.session_id, idse.week_of(an.committed_at), 1, case when an.errors = 0 then 1 else 0 end
  from idse.analytics an
  where an.sync_event_id = event_id
  order by an.session_id
  on conflict (session_id, week) do update set
    runs = w.runs + 1,
    passed_runs = w.passed_runs + excluded.passed_runs;

  -- Markers: the change against the previous counted run, and the next counted run's change against
  -- this one (slotting a run between two changes both).
  with run as (
    select an.client_id, an.session_id, an.committed_at, an.markers,
      (select p.markers from idse.analytics p
       where p.session_id = an.session_id and p.markers is not null and idse.ref_counts(p.ref, v_default)
         and (p.committed_at, p.sync_event_id) < (an.committed_at, an.sync_event_id)
       order by p.committed_at desc, p.sync_event_id desc limit 1) as previous,
      (select n.committed_at from idse.analytics n
       where n.session_id = an.session_id and n.markers is not null and idse.ref_counts(n.ref, v_default)
         and (n.committed_at, n.sync_event_id) > (an.committed_at, an.sync_event_id)
       order by n.committed_at, n.sync_event_id limit 1) as next_at
    from idse.analytics an
    where an.sync_event_id = event_id and an.markers is not null
  ), change as (
    select client_id, session_id, idse.week_of(committed_at) as week, markers - coalesce(previous, 0) as delta
    from run
    union all
    select client_id, session_id, idse.week_of(next_at), coalesce(previous, 0) - markers
    from run where next_at is not null
  )
  insert into idse.session_weeks as w (client_id, session_id, week, markers_delta)
  select client_id, session_id, week, sum(delta) from change
  group by client_id, session_id, week
  order by session_id, week
  on conflict (session_id, week) do update set markers_delta = w.markers_delta + excluded.markers_delta;
end
$$;

-- The rollups of the given sessions, recomputed from their counted runs (see ref_counts).
create or replace function idse.rebuild_rollups(session_ids bigint[]) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  with counted as (
    select an.session_id, an.committed_at, an.errors,
      coalesce(array_position(idse.stages(), an.stage), 0) as rank
    from idse.analytics an
    join idse.repositories r on r.id = an.repository_id
    where an.session_id = any(session_ids) and idse.ref_counts(an.ref, r.default_branch)
  ), totals as (
    select c.session_id, count(*)::integer as runs, (count(*) filter (where c.errors = 0))::integer as passed_runs,
      min(c.committed_at) as first_run_at, min(c.committed_at) filter (where c.errors = 0) as first_passed_at
    from counted c group by c.session_id
  ), reached as (
    -- Stage i was first reached by the earliest run at stage i or later.
    select c.session_id, i, extract(epoch from min(c.committed_at))::bigint as at
    from counted c cross join generate_series(1, c.rank) as i
    group by c.session_id, i
  ), times as (
    select session_id, array_agg(at order by i) as stage_times from reached group by session_id
  )
  update idse.sessions se set runs = coalesce(t.runs, 0), passed_runs = coalesce(t.passed_runs, 0),
    first_run_at = t.first_run_at, first_passed_at = t.first_passed_at,
    stage_times = coalesce(st.stage_times, '{}')
  from unnest(session_ids) as x(id)
  left join totals t on t.session_id = x.id
  left join times st on st.session_id = x.id
  where se.id = x.id;

  delete from idse.session_weeks w where w.session_id = any(session_ids);
  with counted as (
    select an.client_id, an.session_id, an.committed_at, an.sync_event_id, an.errors, an.markers
    from idse.analytics an
    join idse.repositories r on r.id = an.repository_id
    where an.session_id = any(session_ids) and idse.ref_counts(an.ref, r.default_branch)
  ), marked as (
    -- Each run with markers changes the open markers by its count less the previous run's.
    select c.client_id, c.session_id, idse.week_of(c.committed_at) as week,
      c.markers - coalesce(lag(c.markers) over (partition by c.session_id order by c.committed_at, c.sync_event_id), 0) as delta
    from counted c where c.markers is not null
  ), weeks as (
    select client_id, session_id, idse.week_of(committed_at) as week, count(*)::integer as runs,
      count(*) filter (where errors = 0)::integer as passed_runs, 0 as markers_delta
    from counted group by client_id, session_id, idse.week_of(committed_at)
    union all
    select client_id, session_id, week, 0, 0, sum(delta)::integer from marked group by client_id, session_id, week
  )
  insert into idse.session_weeks (client_id, session_id, week, runs, passed_runs, markers_delta)
  select client_id, session_id, week, sum(runs), sum(passed_runs), sum(markers_delta)
  from weeks group by client_id, session_id, week
  order by session_id, week;
end
$$;

-- Statement triggers: one call per write, however many states it touched. An update counts only
-- where a state's ref or commit changed: the rollups rewrite the markers and findings of every state a
-- run sets, which cannot change which state is latest.
create or replace function idse.session_states_changed() returns trigger
language plpgsql volatile
set search_path = ''
as $$
declare
  v_sessions bigint[];
begin
  if tg_op = 'INSERT' then
    select array_agg(distinct n.session_id) into v_sessions from new_states n;
  elsif tg_op = 'UPDATE' then
    select array_agg(distinct c.session_id) into v_sessions from (
      (select n.session_id, n.ref, n.committed_at, n.commit_sha from new_states n
       except select o.session_id, o.ref, o.committed_at, o.commit_sha from old_states o)
      union all
      (select o.session_id, o.ref, o.committed_at, o.commit_sha from old_states o
       except select n.session_id, n.ref, n.committed_at, n.commit_sha from new_states n)
    ) as c;
  else
    select array_agg(distinct o.session_id) into v_sessions from old_states o;
  end if;
  if v_sessions is not null then
    perform idse.pick_latest_states(v_sessions);
  end if;
  return null;
end
$$;

create trigger latest_state_on_insert after insert on idse.session_states
  referencing new table as new_states for each statement execute function idse.session_states_changed();

create trigger latest_state_on_update after update on idse.session_states
  referencing old table as old_states new table as new_states
  for each statement execute function idse.session_states_changed();

create trigger latest_state_on_delete after delete on idse.session_states
  referencing old table as old_states for each statement execute function idse.session_states_changed();

-- A new default branch changes which state is a session's, and which runs count.
create or replace function idse.default_branch_changed() returns trigger
language plpgsql volatile
set search_path = ''
as $$
declare
  v_sessions bigint[] := array(
    select se.id from idse.sessions se join idse.projects pr on pr.id = se.project_id
    where pr.repository_id = new.id);
begin
  perform idse.pick_latest_states(v_sessions);
  perform idse.rebuild_rollups(v_sessions);
  return null;
end
$$;

create trigger latest_state_on_default_branch after update of default_branch on idse.repositories
  for each row when (old.default_branch is distinct from new.default_branch)
  execute function idse.default_branch_changed();

revoke all on function
  idse.stages(),
  idse.week_of(timestamptz),
  idse.iso(timestamptz),
  idse.ref_counts(text, text),
  idse.rebuild_rollups(bigint[])
  from public;
grant execute on function
  idse.stages(),
  idse.week_of(timestamptz),
  idse.iso(timestamptz),
  idse.ref_counts(text, text),
  idse.rebuild_rollups(bigint[])
  to authenticated, service_role;

-- Whoever writes states or repositories runs these through the triggers, with its own rights (as
-- deployed only the service role writes; a tenant granted writes would still touch only its own rows).
revoke all on function
  idse.pick_latest_states(bigint[]),
  idse.session_states_changed(),
  idse.default_branch_changed()
  from public;
grant execute on function
  idse.pick_latest_states(bigint[]),
  idse.session_states_changed(),
  idse.default_branch_changed()
  to authenticated, service_role;

revoke all on function
  idse.rollup_runs(bigint)
  from public;
grant execute on function
  idse.rollup_runs(bigint)
  to service_role;

-- supabase/schemas/40_mirror.sql

-- Write paths. Every backend (PGlite, Postgres, Supabase rpc) calls these same functions, so the
-- idempotency and ordering rules live in one place. Each takes one jsonb document and works set-based
-- (jsonb_to_recordset + INSERT … SELECT), which is 20–30× faster than a statement per row.
--
-- Errors use standard SQLSTATEs that src/store/errors.ts maps to stable codes:
--   22023 invalid_parameter_value  -> invalid-payload
--   23xxx integrity violations      -> store-conflict
-- The functions are SECURITY INVOKER: they run with the caller's rights (service_role in practice).

-- installation / installation_repositories webhook → client, installation, repositories.
-- event: {delivery_id, action, installation_id, account: {id, login, type},
--         repositories_added: [{id, full_name, default_branch?}], repositories_removed: [{id, full_name}]}
create or replace function idse.upsert_installation(event jsonb) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_delivery text := event ->> 'delivery_id';
  v_action text := event ->> 'action';
  v_account jsonb := event -> 'account';
  v_installation bigint;
  v_client uuid;
  v_event bigint;
  v_wanted integer;
  v_added integer := 0;
  v_removed integer := 0;
begin
  if v_delivery is null or v_action is null or event ->> 'installation_id' is null
     or jsonb_typeof(v_account) is distinct from 'object' or v_account ->> 'id' is null
     or v_account ->> 'login' is null then
    raise exception using errcode = '22023',
      message = 'installation event needs delivery_id, action, installation_id and account {id, login}';
  end if;
  if jsonb_typeof(coalesce(event -> 'repositories_added', '[]')) <> 'array'
     or jsonb_typeof(coalesce(event -> 'repositories_removed', '[]')) <> 'array' then
    raise exception using errcode = '22023', message = 'repositories_added and repositories_removed must be arrays';
  end if;
  v_installation := (event ->> 'installation_id')::bigint;

  -- Serialise events of one installation: a redelivery racing the original then sees its sync_event.
  perform pg_advisory_xact_lock(hashtextextended('idse.installation:' || v_installation, 0));

  select id, client_id into v_event, v_client from idse.sync_events where delivery_id = v_delivery;
  if found then
    return jsonb_build_object('duplicate', true, 'sync_event_id', v_event, 'client_id', v_client,
      'installation_id', v_installation, 'repositories_added', 0, 'repositories_removed', 0);
  end if;

  insert into idse.clients (github_account_id, login, account_type)
  values ((v_account ->> 'id')::bigint, v_account ->> 'login', coalesce(v_account ->> 'type', 'Organization'))
  on conflict (github_account_id) do update
    set login = excluded.login, account_type = excluded.account_type, updated_at = now()
  returning client_id into v_client;

  insert into idse.installations as i (id, client_id, suspended_at, deleted_at)
  values (v_installation, v_client,
    case when v_action = 'suspend' then now() end,
    case when v_action = 'deleted' then now() end)
  on conflict (id) do update set
    suspended_at = case v_action when 'suspend' then now() when 'unsuspend' then null else i.suspended_at end,
    deleted_at = case v_action when 'deleted' then now() when 'created' then null else i.deleted_at end,
    updated_at = now()
  where i.client_id = excluded.client_id;
  if not found then
    raise exception using errcode = '23000',
      message = format('installation %s is recorded for another account', v_installation);
  end if;

  select count(*) into v_wanted from jsonb_array_elements(coalesce(event -> 'repositories_added', '[]'));
  insert into idse.repositories as r (id, client_id, installation_id, full_name, default_branch)
  select a.id, v_client, v_installation, a.full_name, a.default_branch
  from jsonb_to_recordset(coalesce(event -> 'repositories_added', '[]'))
    as a(id bigint, full_name text, default_branch text)
  order by a.id
  on conflict (id) do update set
    installation_id = excluded.installation_id,
    full_name = excluded.full_name,
    default_branch = coalesce(excluded.default_branch, r.default_branch),
    removed_at = null,
    updated_at = now()
  where r.client_id = excluded.client_id;
  get diagnostics v_added = row_count;
  if v_added <> v_wanted then
    -- A repository transferred between accounts keeps its GitHub id; moving its history to the new
    -- client is a deliberate operation, not something a webhook should do silently.
    raise exception using errcode = '23000',
      message = 'a repository in repositories_added is recorded for another client';
  end if;

  update idse.repositories set removed_at = now(), updated_at = now()
  where client_id = v_client and removed_at is null
    and (id in (select (x ->> 'id')::bigint
                from jsonb_array_elements(coalesce(event -> 'repositories_removed', '[]')) as x)
         or (v_action = 'deleted' and installation_id = v_installation));
  get diagnostics v_removed = row_count;

  insert into idse.sync_events (client_id, delivery_id, kind, action, stats)
  values (v_client, v_delivery, 'installation', v_action,
    jsonb_build_object('repositories_added', v_added, 'repositories_removed', v_removed))
  on conflict (delivery_id) do nothing
  returning id into v_event;
  if v_event is null then
    raise exception using errcode = '23505',
      message = format('delivery %s was recorded concurrently for another installation', v_delivery);
  end if;

  return jsonb_build_object('duplicate', false, 'sync_event_id', v_event, 'client_id', v_client,
    'installation_id', v_installation, 'repositories_added', v_added, 'repositories_removed', v_removed);
end
$$;

-- The shared write path ------------------------------------------------------------------------------

-- The lists of one commit's mirror: arrays, a path at most once, a session at most once (twice would
-- make an upsert touch a row twice).
create or replace function idse.check_commit_lists(artifacts jsonb, removed_paths jsonb, sessions jsonb)
returns void
language plpgsql stable
set search_path = ''
as $$
declare
  v_duplicate text;
begin
  if jsonb_typeof(artifacts) <> 'array' or jsonb_typeof(removed_paths) <> 'array'
     or jsonb_typeof(sessions) <> 'array' then
    raise exception using errcode = '22023', message = 'artifacts, removed_paths and sessions must be arrays';
  end if;
  select p into v_duplicate from (
    select a ->> 'path' as p from jsonb_array_elements(artifacts) as a
    union all
    select r from jsonb_array_elements_text(removed_paths) as r
  ) as paths group by p having count(*) > 1 or p is null limit 1;
  if found then
    raise exception using errcode = '22023',
      message = format('path %s is listed more than once (or missing) in artifacts/removed_paths', coalesce(v_duplicate, 'null'));
  end if;
  select s ->> 'project' || '/' || (s ->> 'session') into v_duplicate
  from jsonb_array_elements(sessions) as s
  group by s ->> 'project', s ->> 'session' having count(*) > 1 limit 1;
  if found then
    raise exception using errcode = '22023', message = format('session %s is listed more than once', v_duplicate);
  end if;
end
$$;

-- One commit of one repository, already deduplicated and with its sync event written by the caller
-- (which holds the repository's advisory lock): projects, sessions, doc versions, current pointers,
-- session states, analytics and the event's stats; record_validation and record_sync_push share it,
-- so both obey the same ordering and idempotency rules. Returns {current_changed, sessions}.
-- What is current moves to a newer commit: later by (committed_at, commit_sha), or one whose
-- ancestors (p_supersedes, when the caller knows them) include the current commit. Ancestry wins over
-- clocks: two commits made in the same second, or under a skewed clock, still replace each other in
-- the order git made them. Each analytics row keeps the session's stage and open markers, and the
-- run's rollups (idse.rollup_runs) are updated in the same transaction.
create or replace function idse.mirror_commit(
  p_client uuid, p_repo_id bigint, p_event bigint, p_ref text, p_commit text, p_committed_at timestamptz,
  p_artifacts jsonb, p_removed_paths jsonb, p_sessions jsonb, p_supersedes text[]
) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_current integer;
  v_session_rows integer;
begin
  insert into idse.projects (client_id, repository_id, name)
  select distinct p_client, p_repo_id, p.project
  from (
    select a.project from jsonb_to_recordset(p_artifacts) as a(project text)
    union
    select s.project from jsonb_to_recordset(p_sessions) as s(project text)
  ) as p
  where p.project is not null
  order by p.project
  on conflict (repository_id, name) do nothing;

  insert into idse.sessions (client_id, project_id, name)
  select distinct p_client, pr.id, x.session
  from (
    select a.project, a.session from jsonb_to_recordset(p_artifacts) as a(project text, session text)
    union
    select s.project, s.session from jsonb_to_recordset(p_sessions) as s(project text, session text)
  ) as x
  join idse.projects pr on pr.repository_id = p_repo_id and pr.name = x.project
  where x.session is not null
  order by pr.id, x.session
  on conflict (project_id, name) do nothing;

  -- One row per (repository, path, blob). Seen again at a newer (or the same, re-run) commit, the row
  -- takes that commit's diagnostics; an older commit never overwrites them.
  insert into idse.artifacts as t (client_id, repository_id, path, blob_sha, kind, project_id, session_id,
    summary, diagnostics, commit_sha, committed_at)
  select p_client, p_repo_id, i.path, i.blob_sha, i.kind, pr.id, se.id,
    coalesce(i.summary, '{}'), coalesce(i.diagnostics, '[]'), p_commit, p_committed_at
  from jsonb_to_recordset(p_artifacts)
    as i(path text, kind text, blob_sha text, project text, session text, summary jsonb, diagnostics jsonb)
  left join idse.projects pr on pr.repository_id = p_repo_id and pr.name = i.project
  left join idse.sessions se on se.project_id = pr.id and se.name = i.session
  order by i.path
  on conflict (repository_id, path, blob_sha) do update set
    kind = excluded.kind,
    project_id = excluded.project_id,
    session_id = excluded.session_id,
    summary = excluded.summary,
    diagnostics = excluded.diagnostics,
    commit_sha = excluded.commit_sha,
    committed_at = excluded.committed_at
  where (t.committed_at, t.commit_sha) <= (excluded.committed_at, excluded.commit_sha)
    or t.commit_sha = any(p_supersedes);

  -- Current pointers: move only to a strictly newer commit. Removed paths become tombstones.
  insert into idse.artifact_refs as c (client_id, repository_id, ref, path, artifact_id, blob_sha,
    commit_sha, committed_at, sync_event_id)
  select p_client, p_repo_id, p_ref, x.path, x.artifact_id, x.blob_sha, p_commit, p_committed_at, p_event
  from (
    select i.path, t.id as artifact_id, i.blob_sha
    from jsonb_to_recordset(p_artifacts) as i(path text, blob_sha text)
    -- One index lookup per pushed doc (LIMIT keeps the planner from turning this into a join that
    -- reads every version of every doc of the repository, as it did once the history grew).
    cross join lateral (
      select a.id from idse.artifacts a
      where a.repository_id = p_repo_id and a.path = i.path and a.blob_sha = i.blob_sha
      limit 1
    ) as t
    union all
    select r.path, null, null from jsonb_array_elements_text(p_removed_paths) as r(path)
  ) as x
  order by x.path
  on conflict (repository_id, ref, path) do update set
    artifact_id = excluded.artifact_id,
    blob_sha = excluded.blob_sha,
    commit_sha = excluded.commit_sha,
    committed_at = excluded.committed_at,
    sync_event_id = excluded.sync_event_id,
    updated_at = now()
  where (c.committed_at, c.commit_sha) < (excluded.committed_at, excluded.commit_sha)
    or c.commit_sha = any(p_supersedes);
  get diagnostics v_current = row_count;

  insert into idse.session_states as st (client_id, session_id, ref, commit_sha, committed_at, stage, status,
    errors, warnings, coverage, sync_event_id)
  select p_client, se.id, p_ref, p_commit, p_committed_at, i.stage, i.status,
    coalesce(i.errors, 0), coalesce(i.warnings, 0), coalesce(i.coverage, '{}'), p_event
  from jsonb_to_recordset(p_sessions)
    as i(project text, session text, stage text, status text, errors integer, warnings integer, coverage jsonb)
  join idse.projects pr on pr.repository_id = p_repo_id and pr.name = i.project
  join idse.sessions se on se.project_id = pr.id and se.name = i.session
  order by se.id
  on conflict (session_id, ref) do update set
    commit_sha = excluded.commit_sha,
    committed_at = excluded.committed_at,
    stage = excluded.stage,
    status = excluded.status,
    errors = excluded.errors,
    warnings = excluded.warnings,
    coverage = excluded.coverage,
    sync_event_id = excluded.sync_event_id,
    updated_at = now()
  where (st.committed_at, st.commit_sha) <= (excluded.committed_at, excluded.commit_sha)
    or st.commit_sha = any(p_supersedes);

  -- Analytics: every run counts, whatever its commit's age. Rule counts come from the session entry
  -- when the caller sent them (it knows diagnostics of missing docs too), else from the artifacts.
  insert into idse.analytics (client_id, sync_event_id, repository_id, session_id, ref, commit_sha,
    committed_at, errors, warnings, rules, stage, markers)
  select p_client, p_event, p_repo_id, se.id, p_ref, p_commit, p_committed_at,
    coalesce(i.errors, 0), coalesce(i.warnings, 0), coalesce(i.rules, counted.rules, '{}'), i.stage, i.markers
  from jsonb_to_recordset(p_sessions)
    as i(project text, session text, errors integer, warnings integer, rules jsonb, stage text, markers integer)
  join idse.projects pr on pr.repository_id = p_repo_id and pr.name = i.project
  join idse.sessions se on se.project_id = pr.id and se.name = i.session
  -- Counted once for all sessions (a per-session subquery would rescan every artifact per session).
  left join (
    select per_rule.project, per_rule.session, jsonb_object_agg(per_rule.code, per_rule.n) as rules
    from (
      select a.project, a.session, d ->> 'code' as code, count(*) as n
      from jsonb_to_recordset(p_artifacts) as a(project text, session text, diagnostics jsonb)
      cross join lateral jsonb_array_elements(coalesce(a.diagnostics, '[]')) as d
      where d ->> 'code' is not null
      group by a.project, a.session, d ->> 'code'
    ) as per_rule
    group by per_rule.project, per_rule.session
  ) as counted on counted.project = i.project and counted.session = i.session
  order by se.id;
  get diagnostics v_session_rows = row_count;

  -- Runs, pass rate and the rest of the rollups count the default branch's runs only (rollup_runs).
  perform idse.rollup_runs(p_event);

  update idse.sync_events set stats = jsonb_build_object(
    'artifacts', jsonb_array_length(p_artifacts),
    'removed_paths', jsonb_array_length(p_removed_paths),
    'current_changed', v_current,
    'sessions', v_session_rows)
  where id = p_event;

  return jsonb_build_object('current_changed', v_current, 'sessions', v_session_rows);
end
$$;

-- A validation run of one commit, mirrored: artifacts (doc versions with their diagnostics), the
-- current pointer per path on the ref, session states, analytics, and the sync event.
-- payload: {delivery_id, installation_id, repository: {id, full_name, default_branch?}, ref, commit_sha,
--           committed_at, artifacts: [{path, kind, blob_sha, project, session, summary, diagnostics}],
--           removed_paths: [path], sessions: [{project, session, stage, status, errors, warnings,
--           coverage, rules?}]}
create or replace function idse.record_validation(payload jsonb) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_delivery text := payload ->> 'delivery_id';
  v_repo jsonb := payload -> 'repository';
  v_ref text := payload ->> 'ref';
  v_commit text := payload ->> 'commit_sha';
  v_artifacts jsonb := coalesce(payload -> 'artifacts', '[]');
  v_removed_paths jsonb := coalesce(payload -> 'removed_paths', '[]');
  v_sessions jsonb := coalesce(payload -> 'sessions', '[]');
  v_repo_id bigint;
  v_installation bigint;
  v_committed_at timestamptz;
  v_client uuid;
  v_event bigint;
  v_written jsonb;
begin
  if v_delivery is null or jsonb_typeof(v_repo) is distinct from 'object' or v_repo ->> 'id' is null
     or v_repo ->> 'full_name' is null or v_ref is null or v_commit is null
     or payload ->> 'committed_at' is null or payload ->> 'installation_id' is null then
    raise exception using errcode = '22023', message =
      'validation payload needs delivery_id, installation_id, repository {id, full_name}, ref, commit_sha and committed_at';
  end if;
  perform idse.check_commit_lists(v_artifacts, v_removed_paths, v_sessions);

  v_repo_id := (v_repo ->> 'id')::bigint;
  v_installation := (payload ->> 'installation_id')::bigint;
  v_committed_at := (payload ->> 'committed_at')::timestamptz;

  -- Serialise mirrors of one repository. Concurrent deliveries would otherwise upsert overlapping
  -- pointer rows in different orders and could deadlock; different repositories still run in parallel.
  perform pg_advisory_xact_lock(hashtextextended('idse.repository:' || v_repo_id, 0));

  select id, client_id into v_event, v_client from idse.sync_events where delivery_id = v_delivery;
  if found then
    return jsonb_build_object('duplicate', true, 'sync_event_id', v_event, 'client_id', v_client,
      'repository_id', v_repo_id, 'artifacts', 0, 'current_changed', 0, 'sessions', 0);
  end if;

  select client_id into v_client from idse.installations where id = v_installation and deleted_at is null;
  if not found then
    raise exception using errcode = '23503', message = format(
      'installation %s is not recorded (or was deleted): record its installation event first', v_installation);
  end if;

  insert into idse.repositories as r (id, client_id, installation_id, full_name, default_branch)
  values (v_repo_id, v_client, v_installation, v_repo ->> 'full_name', v_repo ->> 'default_branch')
  on conflict (id) do update set
    installation_id = excluded.installation_id,
    full_name = excluded.full_name,
    default_branch = coalesce(excluded.default_branch, r.default_branch),
    updated_at = now()
  where r.client_id = excluded.client_id;
  if not found then
    raise exception using errcode = '23000',
      message = format('repository %s is recorded for another client', v_repo_id);
  end if;

  insert into idse.sync_events (client_id, delivery_id, kind, repository_id, ref, commit_sha, committed_at)
  values (v_client, v_delivery, 'validation', v_repo_id, v_ref, v_commit, v_committed_at)
  on conflict (delivery_id) do nothing
  returning id into v_event;
  if v_event is null then
    raise exception using errcode = '23505',
      message = format('delivery %s was recorded concurrently for another repository', v_delivery);
  end if;

  v_written := idse.mirror_commit(v_client, v_repo_id, v_event, v_ref, v_commit, v_committed_at,
    v_artifacts, v_removed_paths, v_sessions, '{}');

  return jsonb_build_object('duplicate', false, 'sync_event_id', v_event, 'client_id', v_client,
    'repository_id', v_repo_id, 'artifacts', jsonb_array_length(v_artifacts),
    'current_changed', v_written -> 'current_changed', 'sessions', v_written -> 'sessions');
end
$$;

revoke all on function
  idse.upsert_installation(jsonb),
  idse.record_validation(jsonb),
  idse.check_commit_lists(jsonb, jsonb, jsonb),
  idse.mirror_commit(uuid, bigint, bigint, text, text, timestamptz, jsonb, jsonb, jsonb, text[])
  from public;
grant execute on function
  idse.upsert_installation(jsonb),
  idse.record_validation(jsonb),
  idse.check_commit_lists(jsonb, jsonb, jsonb),
  idse.mirror_commit(uuid, bigint, bigint, text, text, timestamptz, jsonb, jsonb, jsonb, text[])
  to service_role;

-- supabase/schemas/50_keys.sql

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

-- supabase/schemas/60_sync.sql

-- Sync gateway: client workspaces that are not on GitHub push their committed docs through Agency Core
-- (`idse sync push`), and the agency publishes constitution, template and feedback updates back to
-- them (`idse sync pull`). See docs/sync.md.
--
-- A synced workspace is a repositories row with source 'sync' (tables.sql). The doc write path is
-- shared with record_validation (idse.mirror_commit, mirror.sql), so both obey the same ordering and
-- idempotency rules. A refused sync push writes nothing (issue 20): the gateway asks sync_lookup
-- first, which writes nothing, validates what it can, and calls sync_prepare only for a request it
-- will accept. Blobs uploaded for a push that never completed, or was refused after its upload step
-- (blobs are accepted, request by request, before the commit is whole), are collected by
-- sync_collect_blobs once a day old and referenced by no doc version of their workspace.

-- The sync event key of a pushed commit: pushing the same commit to the same ref again is a no-op.
create or replace function idse.sync_delivery_id(p_repo_id bigint, p_ref text, p_commit text) returns text
language sql immutable
set search_path = ''
as $$
  select format('sync:%s:%s:%s', p_repo_id, p_ref, p_commit)
$$;

-- What sync_prepare would answer, without writing: whether the request id was seen, the client's
-- synced workspace for the project (null when there is none yet), whether the commit is recorded,
-- and which blobs the store lacks besides those the request carries.
-- request: {request_id, client_id, project, ref, commit_sha, blob_shas: [sha], given_shas: [sha]}
create or replace function idse.sync_lookup(request jsonb) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_request uuid := (request ->> 'request_id')::uuid;
  v_client uuid := (request ->> 'client_id')::uuid;
  v_project text := request ->> 'project';
  v_ref text := request ->> 'ref';
  v_commit text := request ->> 'commit_sha';
  v_shas jsonb := coalesce(request -> 'blob_shas', '[]');
  v_given jsonb := coalesce(request -> 'given_shas', '[]');
  v_repo_id bigint;
  v_event bigint;
  v_missing jsonb;
begin
  if v_request is null or v_client is null or v_project is null or v_ref is null or v_commit is null
     or jsonb_typeof(v_shas) <> 'array' or jsonb_typeof(v_given) <> 'array' then
    raise exception using errcode = '22023',
      message = 'sync lookup needs request_id, client_id, project, ref, commit_sha, blob_shas and given_shas';
  end if;
  perform from idse.clients where client_id = v_client;
  if not found then
    raise exception using errcode = '23503', message = format('client %s is not recorded', v_client);
  end if;
  perform from idse.sync_requests where request_id = v_request;
  if found then
    return jsonb_build_object('replayed', true);
  end if;

  select id into v_repo_id from idse.repositories
  where client_id = v_client and source = 'sync' and sync_project = v_project;
  if v_repo_id is not null then
    select id into v_event from idse.sync_events
    where delivery_id = idse.sync_delivery_id(v_repo_id, v_ref, v_commit);
  end if;

  select coalesce(jsonb_agg(m.sha order by m.sha), '[]') into v_missing
  from (
    select distinct s.sha from jsonb_array_elements_text(v_shas) as s(sha)
    where not exists (select from jsonb_array_elements_text(v_given) as g(sha) where g.sha = s.sha)
      and not exists (select from idse.sync_blobs b where b.repository_id = v_repo_id and b.blob_sha = s.sha)
  ) as m;

  return jsonb_build_object('replayed', false, 'repository_id', v_repo_id, 'recorded', v_event is not null,
    'sync_event_id', v_event, 'missing', v_missing);
end
$$;

-- First step of every push request: refuse a replayed request id, find (or create) the client's synced
-- workspace for the project, store the blobs the request carries, and say which of the commit's blobs
-- are still missing and whether the commit is recorded already.
-- request: {request_id, client_id, project, ref, commit_sha, blob_shas: [sha], blobs: [{blob_sha, content}]}
-- The caller has checked that each blob's content hashes to its blob_sha.
create or replace function idse.sync_prepare(request jsonb) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_request uuid := (request ->> 'request_id')::uuid;
  v_client uuid := (request ->> 'client_id')::uuid;
  v_project text := request ->> 'project';
  v_ref text := request ->> 'ref';
  v_commit text := request ->> 'commit_sha';
  v_blobs jsonb := coalesce(request -> 'blobs', '[]');
  v_shas jsonb := coalesce(request -> 'blob_shas', '[]');
  v_login text;
  v_repo_id bigint;
  v_event bigint;
  v_stored integer;
  v_missing jsonb;
begin
  if v_request is null or v_client is null or v_project is null or v_ref is null or v_commit is null
     or jsonb_typeof(v_blobs) <> 'array' or jsonb_typeof(v_shas) <> 'array' then
    raise exception using errcode = '22023',
      message = 'sync request needs request_id, client_id, project, ref, commit_sha, blob_shas and blobs';
  end if;
  select login into v_login from idse.clients where client_id = v_client;
  if not found then
    raise exception using errcode = '23503', message = format('client %s is not recorded', v_client);
  end if;

  insert into idse.sync_requests (request_id, client_id) values (v_request, v_client)
  on conflict (request_id) do nothing;
  if not found then
    return jsonb_build_object('replayed', true);
  end if;
  -- Tokens live minutes; a day of ids is plenty to recognise a replay while its token is valid.
  delete from idse.sync_requests where received_at < now() - interval '1 day';

  perform pg_advisory_xact_lock(hashtextextended('idse.sync-workspace:' || v_client || '/' || v_project, 0));
  select id into v_repo_id from idse.repositories
  where client_id = v_client and source = 'sync' and sync_project = v_project;
  if not found then
    insert into idse.repositories (id, client_id, installation_id, full_name, source, sync_project)
    values (nextval('idse.sync_repository_ids'), v_client, null, v_login || '/' || v_project, 'sync', v_project)
    returning id into v_repo_id;
  end if;

  insert into idse.sync_blobs (client_id, repository_id, blob_sha, content, size)
  select v_client, v_repo_id, b.blob_sha, b.content, octet_length(b.content)
  from jsonb_to_recordset(v_blobs) as b(blob_sha text, content text)
  order by b.blob_sha
  on conflict (repository_id, blob_sha) do nothing;
  get diagnostics v_stored = row_count;

  select id into v_event from idse.sync_events
  where delivery_id = idse.sync_delivery_id(v_repo_id, v_ref, v_commit);

  select coalesce(jsonb_agg(m.sha order by m.sha), '[]') into v_missing
  from (
    select distinct s.sha from jsonb_array_elements_text(v_shas) as s(sha)
    where not exists (select from idse.sync_blobs b where b.repository_id = v_repo_id and b.blob_sha = s.sha)
  ) as m;

  return jsonb_build_object('replayed', false, 'repository_id', v_repo_id, 'recorded', v_event is not null,
    'sync_event_id', v_event, 'stored', v_stored, 'missing', v_missing);
end
$$;

-- Contents of stored blobs of one client's synced workspace. request: {client_id, repository_id, blob_shas}
create or replace function idse.sync_blob_contents(request jsonb) returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('blob_sha', b.blob_sha, 'content', b.content) order by b.blob_sha), '[]')
  from idse.sync_blobs b
  where b.client_id = (request ->> 'client_id')::uuid
    and b.repository_id = (request ->> 'repository_id')::bigint
    and b.blob_sha in (select jsonb_array_elements_text(coalesce(request -> 'blob_shas', '[]')))
$$;

-- A pushed commit, validated by the gateway: every file of the project at that commit (artifacts, with
-- their findings) and its sessions. Paths current on the ref but absent from the commit are removed.
-- payload: {client_id, repository_id, ref, commit_sha, committed_at, default_branch?, ancestors: [sha],
--           artifacts: [...], sessions: [...]}; default_branch names the workspace's default branch;
--           ancestors (the commit's first parents, as far as the client sent them)
-- let it replace a current commit of the same second.
-- Answers which paths the push changed (accepted), how many it left as they were, and what it removed.
create or replace function idse.record_sync_push(payload jsonb) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_client uuid := (payload ->> 'client_id')::uuid;
  v_repo_id bigint := (payload ->> 'repository_id')::bigint;
  v_ref text := payload ->> 'ref';
  v_commit text := payload ->> 'commit_sha';
  v_committed_at timestamptz := (payload ->> 'committed_at')::timestamptz;
  v_artifacts jsonb := coalesce(payload -> 'artifacts', '[]');
  v_sessions jsonb := coalesce(payload -> 'sessions', '[]');
  v_ancestors text[] := array(select jsonb_array_elements_text(coalesce(payload -> 'ancestors', '[]')));
  v_event bigint;
  v_missing text;
  v_accepted jsonb;
  v_removed jsonb;
  v_written jsonb;
begin
  if v_client is null or v_repo_id is null or v_ref is null or v_commit is null or v_committed_at is null then
    raise exception using errcode = '22023',
      message = 'sync push needs client_id, repository_id, ref, commit_sha and committed_at';
  end if;
  perform idse.check_commit_lists(v_artifacts, '[]', v_sessions);

  -- The same lock as record_validation: one writer per repository at a time.
  perform pg_advisory_xact_lock(hashtextextended('idse.repository:' || v_repo_id, 0));

  select id into v_event from idse.sync_events where delivery_id = idse.sync_delivery_id(v_repo_id, v_ref, v_commit);
  if found then
    return jsonb_build_object('duplicate', true, 'sync_event_id', v_event, 'client_id', v_client,
      'repository_id', v_repo_id, 'accepted', '[]'::jsonb, 'unchanged', jsonb_array_length(v_artifacts),
      'removed', '[]'::jsonb, 'current_changed', 0, 'sessions', 0);
  end if;

  perform from idse.repositories where id = v_repo_id and client_id = v_client and source = 'sync';
  if not found then
    raise exception using errcode = '23503',
      message = format('synced workspace %s is not recorded for client %s', v_repo_id, v_client);
  end if;
  -- The workspace's default branch as the client's git names it: the sessions' state is theirs there.
  if payload ->> 'default_branch' is not null then
    update idse.repositories set default_branch = payload ->> 'default_branch', updated_at = now()
    where id = v_repo_id and default_branch is distinct from payload ->> 'default_branch';
  end if;
  select i.path into v_missing
  from jsonb_to_recordset(v_artifacts) as i(path text, blob_sha text)
  where not exists (select from idse.sync_blobs b where b.repository_id = v_repo_id and b.blob_sha = i.blob_sha)
  limit 1;
  if found then
    raise exception using errcode = '23503',
      message = format('the content of %s was never uploaded', v_missing);
  end if;

  select coalesce(jsonb_agg(i.path order by i.path), '[]') into v_accepted
  from jsonb_to_recordset(v_artifacts) as i(path text, blob_sha text)
  left join idse.artifact_refs c on c.repository_id = v_repo_id and c.ref = v_ref and c.path = i.path
  where c.blob_sha is distinct from i.blob_sha;
  select coalesce(jsonb_agg(c.path order by c.path), '[]') into v_removed
  from idse.artifact_refs c
  where c.repository_id = v_repo_id and c.ref = v_ref and c.artifact_id is not null
    and not exists (select from jsonb_to_recordset(v_artifacts) as i(path text) where i.path = c.path);

  insert into idse.sync_events (client_id, delivery_id, kind, repository_id, ref, commit_sha, committed_at)
  values (v_client, idse.sync_delivery_id(v_repo_id, v_ref, v_commit), 'sync_push', v_repo_id, v_ref,
    v_commit, v_committed_at)
  returning id into v_event;

  v_written := idse.mirror_commit(v_client, v_repo_id, v_event, v_ref, v_commit, v_committed_at,
    v_artifacts, v_removed, v_sessions, v_ancestors);

  return jsonb_build_object('duplicate', false, 'sync_event_id', v_event, 'client_id', v_client,
    'repository_id', v_repo_id, 'accepted', v_accepted,
    'unchanged', jsonb_array_length(v_artifacts) - jsonb_array_length(v_accepted), 'removed', v_removed,
    'current_changed', v_written -> 'current_changed', 'sessions', v_written -> 'sessions');
end
$$;

-- Deletes a synced workspace's blobs that are a day old and that no doc version refers to: the
-- uploads of pushes that never completed or were refused. A day leaves a push in progress its
-- blobs. request: {client_id, repository_id}. Returns how many were deleted.
create or replace function idse.sync_collect_blobs(request jsonb) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_client uuid := (request ->> 'client_id')::uuid;
  v_repo_id bigint := (request ->> 'repository_id')::bigint;
  v_deleted integer;
begin
  if v_client is null or v_repo_id is null then
    raise exception using errcode = '22023', message = 'collecting blobs needs client_id and repository_id';
  end if;
  delete from idse.sync_blobs b
  where b.client_id = v_client and b.repository_id = v_repo_id
    and b.created_at < now() - interval '1 day'
    and not exists (select from idse.artifacts a where a.repository_id = b.repository_id and a.blob_sha = b.blob_sha);
  get diagnostics v_deleted = row_count;
  return v_deleted;
end
$$;

-- Publishes one doc to a client (and project, or all its projects when null). Publishing the content
-- that is already the latest for that path again is a no-op.
-- doc: {client_id, project?, path, kind, content, blob_sha}
create or replace function idse.publish_doc(doc jsonb) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_client uuid := (doc ->> 'client_id')::uuid;
  v_project text := doc ->> 'project';
  v_latest idse.published_docs;
begin
  if v_client is null or doc ->> 'path' is null or doc ->> 'kind' is null or doc ->> 'content' is null
     or doc ->> 'blob_sha' is null then
    raise exception using errcode = '22023', message = 'published doc needs client_id, path, kind, content and blob_sha';
  end if;
  perform from idse.clients where client_id = v_client;
  if not found then
    raise exception using errcode = '23503', message = format('client %s is not recorded', v_client);
  end if;
  -- One publisher per client at a time: ids (the pull cursor) then become visible in order.
  perform pg_advisory_xact_lock(hashtextextended('idse.publish:' || v_client, 0));
  select * into v_latest from idse.published_docs
  where client_id = v_client and project is not distinct from v_project and path = doc ->> 'path'
  order by id desc limit 1;
  if found and v_latest.blob_sha = doc ->> 'blob_sha' and v_latest.kind = doc ->> 'kind' then
    return jsonb_build_object('id', v_latest.id, 'duplicate', true,
      'published_at', to_char(v_latest.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
  end if;
  insert into idse.published_docs (client_id, project, path, kind, content, blob_sha)
  values (v_client, v_project, doc ->> 'path', doc ->> 'kind', doc ->> 'content', doc ->> 'blob_sha')
  returning * into v_latest;
  return jsonb_build_object('id', v_latest.id, 'duplicate', false,
    'published_at', to_char(v_latest.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
end
$$;

-- What was published for a client's project after the cursor, oldest first, at most max_docs.
-- request: {client_id, project, since, max_docs}. Answers {docs, cursor, more}.
create or replace function idse.pull_published(request jsonb) returns jsonb
language sql stable
set search_path = ''
as $$
  with page as (
    select d.id, d.project, d.path, d.kind, d.content, d.blob_sha, d.published_at
    from idse.published_docs d
    where d.client_id = (request ->> 'client_id')::uuid
      and (d.project is null or d.project = request ->> 'project')
      and d.id > coalesce((request ->> 'since')::bigint, 0)
    order by d.id
    limit coalesce((request ->> 'max_docs')::integer, 500) + 1
  ), kept as (
    select * from page order by id limit coalesce((request ->> 'max_docs')::integer, 500)
  )
  select jsonb_build_object(
    'docs', coalesce((select jsonb_agg(jsonb_build_object(
        'id', k.id, 'project', k.project, 'path', k.path, 'kind', k.kind, 'content', k.content,
        'blob_sha', k.blob_sha,
        'published_at', to_char(k.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
      ) order by k.id) from kept k), '[]'),
    'cursor', coalesce((select max(id) from kept), coalesce((request ->> 'since')::bigint, 0)),
    'more', (select count(*) from page) > (select count(*) from kept)
  )
$$;

revoke all on function
  idse.sync_delivery_id(bigint, text, text),
  idse.sync_lookup(jsonb),
  idse.sync_prepare(jsonb),
  idse.sync_blob_contents(jsonb),
  idse.record_sync_push(jsonb),
  idse.sync_collect_blobs(jsonb),
  idse.publish_doc(jsonb),
  idse.pull_published(jsonb)
  from public;
grant execute on function
  idse.sync_delivery_id(bigint, text, text),
  idse.sync_lookup(jsonb),
  idse.sync_prepare(jsonb),
  idse.sync_blob_contents(jsonb),
  idse.record_sync_push(jsonb),
  idse.sync_collect_blobs(jsonb),
  idse.publish_doc(jsonb),
  idse.pull_published(jsonb)
  to service_role;

-- supabase/schemas/70_reads.sql

-- Read paths for the dashboard. SECURITY INVOKER: an authenticated caller gets its own client's rows
-- only (RLS), the service role may ask for any client.

-- What view_counts adds up for one session: few and narrow, so a page's thousands of them stay cheap
-- to pass around.
create type idse.session_tally as (
  errors integer, requirements integer, aligned integer, markers integer, runs integer,
  passed_runs integer, committed_at timestamptz
);

-- Every session with its latest state (sessions.latest_ref, see idse.pick_latest_states) with that
-- run's open markers and findings per rule; archived and removed flags so callers choose what to show
-- (archived_at: the session's, else its project's).
create or replace view idse.session_latest with (security_invoker = true) as
select se.client_id, se.id as session_id, se.name as session, se.project_id, pr.name as project,
  pr.repository_id, r.full_name as repository, se.runs, se.passed_runs, se.first_run_at, se.first_passed_at,
  se.stage_times, se.archived_at as session_archived_at, pr.archived_at as project_archived_at,
  coalesce(se.archived_at, pr.archived_at) as archived_at, r.removed_at,
  st.ref, st.commit_sha, st.committed_at, st.stage, st.status, st.errors, st.warnings, st.coverage,
  st.markers, st.rules,
  row(st.errors, (st.coverage ->> 'requirements')::integer, (st.coverage ->> 'aligned')::integer, st.markers,
    se.runs, se.passed_runs, st.committed_at)::idse.session_tally as tally
from idse.sessions se
join idse.projects pr on pr.id = se.project_id
join idse.repositories r on r.id = pr.repository_id
left join idse.session_states st on st.session_id = se.id and st.ref = se.latest_ref;

revoke all on idse.session_latest from public, anon;

grant select on idse.session_latest to authenticated, service_role;

-- Per-client summary: every session of the client's active repositories with its latest state
-- (session_latest) and its pass rate, plus totals. Cost is proportional to the client's sessions; it
-- never reads artifacts. for_client defaults to the caller's tenant claim. Times are ISO 8601 in UTC
-- whatever the server's TimeZone setting, so every backend answers the same text.
create or replace function idse.client_summary(for_client uuid default null) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'client_id', coalesce(for_client, idse.jwt_client_id()),
    'runs', coalesce(sum(l.runs), 0),
    'passed_runs', coalesce(sum(l.passed_runs), 0),
    'pass_rate', case when sum(l.runs) > 0 then round(sum(l.passed_runs)::numeric / sum(l.runs), 4) end,
    'sessions', coalesce(jsonb_agg(jsonb_build_object(
        'repository_id', l.repository_id,
        'repository', l.repository,
        'project', l.project,
        'session', l.session,
        'ref', l.ref,
        'commit_sha', l.commit_sha,
        'committed_at', idse.iso(l.committed_at),
        'stage', l.stage,
        'status', l.status,
        'errors', l.errors,
        'warnings', l.warnings,
        'coverage', l.coverage,
        'runs', l.runs,
        'passed_runs', l.passed_runs,
        'pass_rate', case when l.runs > 0 then round(l.passed_runs::numeric / l.runs, 4) end
      ) order by l.repository, l.project, l.session), '[]')
  )
  from idse.session_latest l
  where l.client_id = coalesce(for_client, idse.jwt_client_id()) and l.removed_at is null
$$;

revoke all on function idse.client_summary(uuid) from public;

grant execute on function idse.client_summary(uuid) to authenticated, service_role;

-- The current version of every path on every ref (tombstones left out). security_invoker makes the
-- view apply the caller's RLS instead of its owner's.
create or replace view idse.current_artifacts with (security_invoker = true) as
select c.client_id, c.repository_id, c.ref, c.path, c.commit_sha, c.committed_at, a.id as artifact_id,
  a.blob_sha, a.kind, a.project_id, a.session_id, a.summary, a.diagnostics
from idse.artifact_refs c
join idse.artifacts a on a.id = c.artifact_id;

revoke all on idse.current_artifacts from public, anon;

grant select on idse.current_artifacts to authenticated, service_role;

-- supabase/schemas/80_agency.sql

-- Agency Core: what an agency admin reads across clients (the App's /dashboard, `idse agency …`).
-- SECURITY INVOKER like every function here: an authenticated caller sees its own client's rows only
-- (RLS); the service role may ask about any client. for_client null means every client the caller may
-- see (unlike client_summary, whose null means the caller's own tenant). Archived projects and
-- sessions leave the default views; every read function takes with_archived to show them.

-- What a page is about: null scope ids mean "everything the caller sees". Null when a given client,
-- project or session does not exist, is not the caller's, or does not belong to the given client: the
-- dashboard answers 404 alike, so another tenant's ids reveal nothing. `archived` tells whether the
-- scope itself is archived (its contents are then shown, archived or not).
create or replace function idse.agency_scope(for_client uuid, for_project bigint, for_session bigint)
returns jsonb
language sql stable
set search_path = ''
as $$
  select case
    when for_session is not null then (
      select jsonb_build_object('client_id', c.client_id, 'client', c.login, 'repository', r.full_name,
        'project_id', pr.id, 'project', pr.name, 'session_id', se.id, 'session', se.name,
        'archived', coalesce(se.archived_at, pr.archived_at) is not null)
      from idse.sessions se
      join idse.projects pr on pr.id = se.project_id
      join idse.repositories r on r.id = pr.repository_id
      join idse.clients c on c.client_id = se.client_id
      where se.id = for_session and (for_client is null or se.client_id = for_client)
        and (for_project is null or se.project_id = for_project))
    when for_project is not null then (
      select jsonb_build_object('client_id', c.client_id, 'client', c.login, 'repository', r.full_name,
        'project_id', pr.id, 'project', pr.name, 'archived', pr.archived_at is not null)
      from idse.projects pr
      join idse.repositories r on r.id = pr.repository_id
      join idse.clients c on c.client_id = pr.client_id
      where pr.id = for_project and (for_client is null or pr.client_id = for_client))
    when for_client is not null then (
      select jsonb_build_object('client_id', c.client_id, 'client', c.login, 'archived', false)
      from idse.clients c where c.client_id = for_client)
    else jsonb_build_object('archived', false)
  end
$$;

-- Sessions a page counts: in scope, on active repositories, not archived unless asked (or the scope
-- itself is archived).
create or replace function idse.sessions_in_view(
  for_client uuid, for_project bigint, for_session bigint, with_archived boolean
) returns setof idse.session_latest
language sql stable
as $$
  select l.* from idse.session_latest l
  where (for_client is null or l.client_id = for_client)
    and (for_project is null or l.project_id = for_project)
    and (for_session is null or l.session_id = for_session)
    and l.removed_at is null
    -- The two columns, not their coalesce: the planner has statistics for columns, so it estimates
    -- the rows right and picks hash joins for the thousands of sessions of an agency-wide page.
    and (with_archived or (l.session_archived_at is null and l.project_archived_at is null))
$$;

-- Counts shared by every list row (client, project): sessions, validated sessions and those without
-- errors (compliance), requirements aligned (spec-to-code alignment), open markers, runs and passes.
create or replace function idse.view_counts(tallies idse.session_tally[]) returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'sessions', count(*),
    'validated', count(l.errors),
    'compliant', count(*) filter (where l.errors = 0),
    'requirements', coalesce(sum(l.requirements), 0),
    'aligned', coalesce(sum(l.aligned), 0),
    'open_markers', coalesce(sum(l.markers), 0),
    'runs', coalesce(sum(l.runs), 0),
    'passed_runs', coalesce(sum(l.passed_runs), 0),
    'last_run_at', idse.iso(max(l.committed_at)))
  from unnest(tallies) as l
$$;

-- Clients with their counts, by name.
create or replace function idse.agency_clients(for_client uuid default null, with_archived boolean default false)
returns jsonb
language sql stable
set search_path = ''
as $$
  with v as (select * from idse.sessions_in_view(for_client, null, null, with_archived))
  select coalesce(jsonb_agg(jsonb_build_object('client_id', c.client_id, 'client', c.login,
      'repositories', (select count(*) from idse.repositories r
                       where r.client_id = c.client_id and r.removed_at is null),
      'projects', coalesce(g.projects, 0))
    || idse.view_counts(coalesce(g.tallies, '{}')) order by c.login, c.client_id), '[]')
  from idse.clients c
  left join (
    select v.client_id, array_agg(v.tally) as tallies, count(distinct v.project_id) as projects
    from v group by v.client_id
  ) as g on g.client_id = c.client_id
  where for_client is null or c.client_id = for_client
$$;

-- Projects on active repositories, with their counts, by client, repository and name.
create or replace function idse.agency_projects(for_client uuid default null, with_archived boolean default false)
returns jsonb
language sql stable
set search_path = ''
as $$
  with v as (select * from idse.sessions_in_view(for_client, null, null, with_archived))
  select coalesce(jsonb_agg(jsonb_build_object('project_id', pr.id, 'client_id', c.client_id, 'client', c.login,
      'repository', r.full_name, 'project', pr.name, 'archived_at', idse.iso(pr.archived_at))
    || idse.view_counts(coalesce(g.tallies, '{}')) order by c.login, r.full_name, pr.name), '[]')
  from idse.projects pr
  join idse.repositories r on r.id = pr.repository_id
  join idse.clients c on c.client_id = pr.client_id
  left join (
    select v.project_id, array_agg(v.tally) as tallies from v group by v.project_id
  ) as g on g.project_id = pr.id
  where (for_client is null or pr.client_id = for_client) and r.removed_at is null
    and (with_archived or pr.archived_at is null)
$$;

-- Sessions (of one project, or all) with their latest state, by repository, project and name. The
-- sessions of an archived project are listed when that project is asked for by id.
create or replace function idse.agency_sessions(
  for_client uuid default null, for_project bigint default null, with_archived boolean default false
) returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('session_id', l.session_id, 'client_id', l.client_id,
      'repository', l.repository, 'project_id', l.project_id, 'project', l.project, 'session', l.session,
      'stage', l.stage, 'status', l.status, 'errors', l.errors, 'warnings', l.warnings, 'ref', l.ref,
      'commit_sha', l.commit_sha, 'archived_at', idse.iso(l.archived_at))
    || idse.view_counts(array[l.tally]) order by l.repository, l.project, l.session), '[]')
  from idse.sessions_in_view(for_client, for_project, null,
    with_archived or exists (select from idse.projects p where p.id = for_project and p.archived_at is not null)) as l
$$;

-- The newest runs of one session (of for_client, when given; on for_ref, when given), newest first.
create or replace function idse.agency_runs(
  for_session bigint, for_client uuid default null, max_runs integer default 50, for_ref text default null
) returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('sync_event_id', a.sync_event_id, 'ref', a.ref,
      'commit_sha', a.commit_sha, 'committed_at', idse.iso(a.committed_at), 'stage', a.stage,
      'errors', a.errors, 'warnings', a.warnings, 'markers', a.markers, 'passed', a.passed, 'rules', a.rules)
    order by a.committed_at desc, a.sync_event_id desc), '[]')
  from (
    select * from idse.analytics an
    where an.session_id = for_session and (for_client is null or an.client_id = for_client)
      and (for_ref is null or an.ref = for_ref)
    order by an.committed_at desc, an.sync_event_id desc
    limit greatest(1, least(max_runs, 1000))
  ) as a
$$;

-- Everything a page's charts need, for one scope (all, a client, a project or a session); null when
-- the scope is not visible (see agency_scope). Two parts:
--   now     counts over the sessions in view (view_counts), sessions per current stage, current
--           findings per rule, and per session [first run, first passing run, first reached intent,
--           context, …, feedback] in epoch seconds, null for stages not reached (init and stage cycle
--           times are computed from these by src/analytics, with the same functions `idse report` uses)
--   weeks   every ISO week from `since` (default: 51 weeks before this one) to this one: runs,
--           passing runs and the markers open at the end of the week
-- It returns json, not jsonb: its per-session timelines (5,000 arrays agency-wide) would be converted
-- to jsonb and back to text on the way out, a third of the function's time. Each call is planned for
-- its scope (plan_cache_mode): a connection reused for more than five calls got a generic plan that
-- reads the agency-wide view 40% slower.
create or replace function idse.agency_metrics(
  for_client uuid default null, for_project bigint default null, for_session bigint default null,
  since date default null, with_archived boolean default false
) returns json
language plpgsql stable
set search_path = ''
-- Plan for the scope asked: after five calls PL/pgSQL would keep one generic plan, which cannot drop
-- the "for_client is null or …" filters and read the agency-wide view 40% slower (measured).
set plan_cache_mode = force_custom_plan
as $$
declare
  v_scope jsonb := idse.agency_scope(for_client, for_project, for_session);
  v_from date := idse.week_of(coalesce(since, now() - interval '51 weeks'));
  v_result json;
begin
  if v_scope is null then
    return null;
  end if;
  -- Only the columns read below: copying whole rows into the materialized CTE took a quarter of the time.
  with v as materialized (
    select l.session_id, l.tally, l.stage, l.rules, l.first_run_at, l.first_passed_at, l.stage_times
    from idse.sessions_in_view(for_client, for_project, for_session,
      with_archived or (v_scope ->> 'archived')::boolean) as l
  ), per_week as (
    select w.week, sum(w.runs) as runs, sum(w.passed_runs) as passed_runs,
      sum(sum(w.markers_delta)) over (order by w.week) as open_markers
    from idse.session_weeks w join v on v.session_id = w.session_id
    group by w.week
  ), series as (
    select g.week::date as week,
      coalesce(p.runs, 0) as runs, coalesce(p.passed_runs, 0) as passed_runs,
      coalesce(p.open_markers,
        (select b.open_markers from per_week b where b.week < g.week order by b.week desc limit 1), 0) as open_markers
    from generate_series(v_from, idse.week_of(now()), interval '1 week') as g(week)
    left join per_week p on p.week = g.week
  )
  select json_build_object(
    'scope', v_scope,
    'since', to_char(v_from, 'YYYY-MM-DD'),
    'now', (select idse.view_counts(coalesce(array_agg(v.tally), '{}')) from v),
    'stages', (select coalesce(json_object_agg(s.stage, s.n), '{}')
               from (select v.stage, count(*) as n from v where v.stage is not null group by v.stage) as s),
    'rules', (select coalesce(json_object_agg(r.code, r.n), '{}')
              from (select e.key as code, sum(e.value::int) as n
                    from v cross join lateral jsonb_each_text(coalesce(v.rules, '{}')) as e
                    group by e.key) as r where r.n > 0),
    -- One two-dimensional array (rows padded with nulls to the same length), turned into JSON in one
    -- go: a third cheaper than building thousands of small JSON arrays.
    'timelines', (select coalesce(array_to_json(array_agg(
                    array[extract(epoch from v.first_run_at)::bigint, extract(epoch from v.first_passed_at)::bigint]
                    || v.stage_times || array_fill(null::bigint, array[cardinality(idse.stages()) - cardinality(v.stage_times)])
                    order by v.session_id)), '[]')
                  from v where v.first_run_at is not null),
    'weeks', (select coalesce(json_agg(json_build_object('week', to_char(s.week, 'YYYY-MM-DD'),
                'runs', s.runs, 'passed_runs', s.passed_runs, 'open_markers', s.open_markers) order by s.week), '[]')
              from series s))
  into v_result;
  return v_result;
end
$$;

-- Archive or bring back a project or a session. target: {repository: "owner/name", project,
-- session?, archived: true|false, client_id?}. Archiving twice keeps the first time. Null when there
-- is no such project or session; a repository name two clients share needs client_id.
create or replace function idse.agency_set_archived(target jsonb) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_projects bigint[];
  v_archived boolean := (target ->> 'archived')::boolean;
  v_result jsonb;
begin
  if target ->> 'repository' is null or target ->> 'project' is null or v_archived is null then
    raise exception using errcode = '22023', message = 'archive target needs repository, project and archived';
  end if;
  select array_agg(pr.id) into v_projects
  from idse.projects pr join idse.repositories r on r.id = pr.repository_id
  where lower(r.full_name) = lower(target ->> 'repository') and pr.name = target ->> 'project'
    and (target ->> 'client_id' is null or pr.client_id = (target ->> 'client_id')::uuid);
  if cardinality(v_projects) > 1 then
    raise exception using errcode = '22023', message = format(
      'repository %s is known for several clients: name the client', target ->> 'repository');
  end if;
  if v_projects is null then
    return null;
  end if;
  if target ->> 'session' is null then
    update idse.projects pr
    set archived_at = case when v_archived then coalesce(pr.archived_at, now()) end
    where pr.id = v_projects[1]
    returning jsonb_build_object('kind', 'project', 'project_id', pr.id, 'client_id', pr.client_id,
      'repository', target ->> 'repository', 'project', pr.name, 'archived_at', idse.iso(pr.archived_at))
    into v_result;
  else
    update idse.sessions se
    set archived_at = case when v_archived then coalesce(se.archived_at, now()) end
    where se.project_id = v_projects[1] and se.name = target ->> 'session'
    returning jsonb_build_object('kind', 'session', 'session_id', se.id, 'client_id', se.client_id,
      'repository', target ->> 'repository', 'project', target ->> 'project', 'session', se.name,
      'archived_at', idse.iso(se.archived_at))
    into v_result;
  end if;
  return v_result;
end
$$;

-- A session's state on each ref it was validated on: the default branch first (flagged), then the
-- other refs newest first, each with its number of runs.
create or replace function idse.agency_branches(for_session bigint, for_client uuid default null)
returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('ref', s.ref,
      'default', coalesce(s.ref = 'refs/heads/' || r.default_branch, false),
      'commit_sha', s.commit_sha, 'committed_at', idse.iso(s.committed_at), 'stage', s.stage,
      'status', s.status, 'errors', s.errors, 'warnings', s.warnings, 'markers', s.markers,
      'runs', (select count(*) from idse.analytics an where an.session_id = s.session_id and an.ref = s.ref))
    order by coalesce(s.ref = 'refs/heads/' || r.default_branch, false) desc, s.committed_at desc, s.ref), '[]')
  from idse.session_states s
  join idse.sessions se on se.id = s.session_id
  join idse.projects pr on pr.id = se.project_id
  join idse.repositories r on r.id = pr.repository_id
  where s.session_id = for_session and (for_client is null or s.client_id = for_client)
$$;

-- The docs of a session as the dashboard shows them: each doc current on a ref (the session's state
-- ref by default, so the default branch), with its blob and findings, and where to read its text:
-- a synced workspace's blobs are in sync_blobs, a GitHub repository's are read from GitHub by the App
-- (installation_id). Null when the session does not exist or is not for_client's.

create or replace function idse.agency_docs(for_session bigint, for_client uuid default null, for_ref text default null)
returns jsonb
language sql stable
set search_path = ''
as $$
  with s as (
    select se.id, coalesce(for_ref, se.latest_ref) as ref, r.id as repository_id, r.full_name,
      r.installation_id, r.source
    from idse.sessions se
    join idse.projects pr on pr.id = se.project_id
    join idse.repositories r on r.id = pr.repository_id
    where se.id = for_session and (for_client is null or se.client_id = for_client)
  )
  select jsonb_build_object('repository_id', s.repository_id, 'repository', s.full_name,
    'installation_id', s.installation_id, 'source', s.source, 'ref', s.ref, 'commit_sha', st.commit_sha,
    'docs', coalesce((
      select jsonb_agg(jsonb_build_object('path', a.path, 'kind', a.kind, 'blob_sha', a.blob_sha,
        'diagnostics', a.diagnostics) order by a.path)
      from idse.artifact_refs c join idse.artifacts a on a.id = c.artifact_id
      where c.repository_id = s.repository_id and c.ref = s.ref and a.session_id = s.id), '[]'))
  from s left join idse.session_states st on st.session_id = s.id and st.ref = s.ref
$$;

revoke all on function
  idse.agency_scope(uuid, bigint, bigint),
  idse.sessions_in_view(uuid, bigint, bigint, boolean),
  idse.view_counts(idse.session_tally[]),
  idse.agency_clients(uuid, boolean),
  idse.agency_projects(uuid, boolean),
  idse.agency_sessions(uuid, bigint, boolean),
  idse.agency_runs(bigint, uuid, integer, text),
  idse.agency_metrics(uuid, bigint, bigint, date, boolean),
  idse.agency_branches(bigint, uuid),
  idse.agency_docs(bigint, uuid, text)
  from public;
grant execute on function
  idse.agency_scope(uuid, bigint, bigint),
  idse.sessions_in_view(uuid, bigint, bigint, boolean),
  idse.view_counts(idse.session_tally[]),
  idse.agency_clients(uuid, boolean),
  idse.agency_projects(uuid, boolean),
  idse.agency_sessions(uuid, bigint, boolean),
  idse.agency_runs(bigint, uuid, integer, text),
  idse.agency_metrics(uuid, bigint, bigint, date, boolean),
  idse.agency_branches(bigint, uuid),
  idse.agency_docs(bigint, uuid, text)
  to authenticated, service_role;

revoke all on function
  idse.agency_set_archived(jsonb)
  from public;
grant execute on function
  idse.agency_set_archived(jsonb)
  to service_role;

-- PostgREST caches the schema; ask it to reload so the rpc functions are callable at once. Without a
-- PostgREST listening (plain Postgres, PGlite) this notification goes nowhere.
notify pgrst, 'reload schema';
