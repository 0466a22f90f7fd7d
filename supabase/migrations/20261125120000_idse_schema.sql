-- idse store: tables and indexes. The git repo is the source of truth; these tables mirror it and can
-- be rebuilt from git at any time. Every tenant row carries client_id, and child rows reference their
-- parent through (client_id, id) so a row can never point at another tenant's parent.
--
-- Everything lives in schema `idse` (exposed to PostgREST via [api].schemas in config.toml) so the
-- mirror never mixes with an app's own `public` tables.

create schema if not exists idse;
comment on schema idse is 'idse: mirror of IDSE pipeline docs and validation results (see docs/store.md)';

-- A client of the agency = one GitHub account (organisation or user) that installed the App.
create table idse.clients (
  client_id uuid primary key default gen_random_uuid(),
  github_account_id bigint not null unique,
  login text not null,
  account_type text not null default 'Organization',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table idse.installations (
  id bigint primary key, -- GitHub installation id
  client_id uuid not null references idse.clients (client_id) on delete cascade,
  suspended_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index installations_client on idse.installations (client_id);

create table idse.repositories (
  id bigint primary key, -- GitHub repository id: stable across renames and transfers
  client_id uuid not null references idse.clients (client_id) on delete cascade,
  installation_id bigint not null references idse.installations (id) on delete cascade,
  full_name text not null,
  default_branch text,
  removed_at timestamptz, -- removed from the installation; rows are kept (history, analytics)
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (client_id, id)
);
create index repositories_installation on idse.repositories (installation_id);

create table idse.projects (
  id bigint generated always as identity primary key,
  client_id uuid not null,
  repository_id bigint not null,
  name text not null,
  created_at timestamptz not null default now(),
  unique (repository_id, name),
  unique (client_id, id),
  foreign key (client_id, repository_id) references idse.repositories (client_id, id) on delete cascade
);

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
  primary key (session_id, ref),
  foreign key (client_id, session_id) references idse.sessions (client_id, id) on delete cascade
);
create index session_states_client on idse.session_states (client_id);

-- One row per webhook delivery; the unique delivery id makes redelivery a no-op.
create table idse.sync_events (
  id bigint generated always as identity primary key,
  client_id uuid not null references idse.clients (client_id) on delete cascade,
  delivery_id text not null unique,
  kind text not null check (kind in ('installation', 'validation')),
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
  unique (sync_event_id, session_id),
  foreign key (client_id, repository_id) references idse.repositories (client_id, id) on delete cascade,
  foreign key (client_id, session_id) references idse.sessions (client_id, id) on delete cascade
);
create index analytics_client_time on idse.analytics (client_id, recorded_at);
create index analytics_session_time on idse.analytics (session_id, committed_at);

-- Outbox: durable queue of mirror jobs that could not be written when they happened (store down,
-- conflict). An operational table, not tenant data: only the service role reads or writes it.
-- client_id is nullable because a job can predate its client (an installation event queued while the
-- store was down).
create table idse.outbox (
  id bigint generated always as identity primary key,
  client_id uuid references idse.clients (client_id) on delete cascade,
  kind text not null,
  payload jsonb not null,
  dedupe_key text unique,
  attempts integer not null default 0,
  max_attempts integer not null default 10,
  run_at timestamptz not null default now(),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  done_at timestamptz,
  failed_at timestamptz,
  created_at timestamptz not null default now()
);
create index outbox_ready on idse.outbox (run_at, id) where done_at is null and failed_at is null;
