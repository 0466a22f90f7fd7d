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
