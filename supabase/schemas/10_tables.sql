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
