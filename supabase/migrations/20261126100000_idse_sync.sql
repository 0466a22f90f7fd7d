-- Sync gateway: client workspaces that are not on GitHub push their committed docs through Agency Core
-- (`idse sync push`), and the agency publishes constitution, template and feedback updates back to
-- them (`idse sync pull`). See docs/sync.md.
--
-- A synced workspace is a repositories row with source 'sync', one per (client, project). Its id comes
-- from a descending sequence of negative numbers, so it can never collide with a GitHub repository id
-- (always positive), and every table keyed by repository (artifacts, artifact_refs, session_states,
-- analytics) holds synced docs exactly like mirrored ones. The doc write path is shared with
-- record_validation (idse.mirror_commit below), so both obey the same ordering and idempotency rules.

-- Synced workspaces ---------------------------------------------------------------------------------

alter table idse.repositories
  add column source text not null default 'github',
  add column sync_project text,
  alter column installation_id drop not null;
alter table idse.repositories add constraint repositories_source_shape check (
  case source
    when 'github' then installation_id is not null and id > 0 and sync_project is null
    when 'sync' then installation_id is null and id < 0 and sync_project is not null
    else false
  end
);
create unique index repositories_sync_project on idse.repositories (client_id, sync_project)
  where source = 'sync';

create sequence idse.sync_repository_ids as bigint increment by -1 maxvalue -1 start with -1;

alter table idse.sync_events drop constraint sync_events_kind_check;
alter table idse.sync_events add constraint sync_events_kind_check
  check (kind in ('installation', 'validation', 'sync_push'));

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

revoke all on idse.sync_blobs, idse.sync_requests, idse.published_docs from public, anon, authenticated;
grant select on idse.sync_blobs, idse.sync_requests, idse.published_docs to authenticated;
grant select, insert, update, delete on idse.sync_blobs, idse.sync_requests, idse.published_docs to service_role;
grant usage, select on all sequences in schema idse to service_role;

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
-- session states, analytics and the event's stats. Returns {current_changed, sessions}.
-- What is current moves to a newer commit: later by (committed_at, commit_sha), or one whose
-- ancestors (p_supersedes, when the caller knows them) include the current commit. Ancestry wins over
-- clocks: two commits made in the same second, or under a skewed clock, still replace each other in
-- the order git made them.
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
    join idse.artifacts t on t.repository_id = p_repo_id and t.path = i.path and t.blob_sha = i.blob_sha
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
    committed_at, errors, warnings, rules)
  select p_client, p_event, p_repo_id, se.id, p_ref, p_commit, p_committed_at,
    coalesce(i.errors, 0), coalesce(i.warnings, 0), coalesce(i.rules, counted.rules, '{}')
  from jsonb_to_recordset(p_sessions)
    as i(project text, session text, errors integer, warnings integer, rules jsonb)
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

  update idse.sessions se
  set runs = se.runs + 1, passed_runs = se.passed_runs + (case when an.errors = 0 then 1 else 0 end)
  from idse.analytics an
  where an.sync_event_id = p_event and an.session_id = se.id;

  update idse.sync_events set stats = jsonb_build_object(
    'artifacts', jsonb_array_length(p_artifacts),
    'removed_paths', jsonb_array_length(p_removed_paths),
    'current_changed', v_current,
    'sessions', v_session_rows)
  where id = p_event;

  return jsonb_build_object('current_changed', v_current, 'sessions', v_session_rows);
end
$$;

-- record_validation as before (same checks, order and answers), its doc writes now in mirror_commit.
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

-- Sync functions -------------------------------------------------------------------------------------

-- The sync event key of a pushed commit: pushing the same commit to the same ref again is a no-op.
create or replace function idse.sync_delivery_id(p_repo_id bigint, p_ref text, p_commit text) returns text
language sql immutable
set search_path = ''
as $$
  select format('sync:%s:%s:%s', p_repo_id, p_ref, p_commit)
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
-- payload: {client_id, repository_id, ref, commit_sha, committed_at, ancestors: [sha], artifacts: [...],
--           sessions: [...]}; ancestors (the commit's first parents, as far as the client sent them)
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

revoke all on function idse.check_commit_lists(jsonb, jsonb, jsonb),
  idse.mirror_commit(uuid, bigint, bigint, text, text, timestamptz, jsonb, jsonb, jsonb, text[]),
  idse.sync_delivery_id(bigint, text, text), idse.sync_prepare(jsonb), idse.sync_blob_contents(jsonb),
  idse.record_sync_push(jsonb), idse.publish_doc(jsonb), idse.pull_published(jsonb) from public;
grant execute on function idse.check_commit_lists(jsonb, jsonb, jsonb),
  idse.mirror_commit(uuid, bigint, bigint, text, text, timestamptz, jsonb, jsonb, jsonb, text[]),
  idse.sync_delivery_id(bigint, text, text), idse.sync_prepare(jsonb), idse.sync_blob_contents(jsonb),
  idse.record_sync_push(jsonb), idse.publish_doc(jsonb), idse.pull_published(jsonb) to service_role;

notify pgrst, 'reload schema';
