-- The default branch is the truth. A session's state, its pass rate, its stage times and its trends
-- are those of the repository's default branch; a push to any other ref (a work-in-progress branch,
-- a pull request) is kept as that ref's state and runs, shown as a branch, and never becomes the
-- session's state. Before, the newest pushed ref won whenever the App had not said which branch was
-- the default (it never did) and always for synced workspaces, and every ref's runs counted.
--
-- 1. pick_latest_states: the state on the default branch, or none when the session has no state
--    there yet. Only a repository whose default branch is unknown (mirrored before this version, or a
--    synced workspace whose client did not say) keeps the old rule, the newest state on any ref.
-- 2. Rollups (runs, passing runs, first run, first passing run, stage times, the weekly runs and open
--    markers) count the default branch's runs only (rollup_runs, which now also counts the runs that
--    mirror_commit used to), or every ref's while the default branch is unknown.
-- 3. rebuild_rollups recomputes a session's rollups from its runs: when a repository's default branch
--    changes (or becomes known), by trigger, and here once for what is stored.
-- 4. record_sync_push takes the workspace's default branch from the client (payload.default_branch).
-- 5. agency_runs can be asked for one ref; agency_branches lists a session's state on every ref.

-- Whether the runs of `p_ref` count for the session rollups of a repository whose default branch is
-- `p_default_branch` (null: not known, every ref counts).
create or replace function idse.ref_counts(p_ref text, p_default_branch text) returns boolean
language sql immutable
as $$ select p_default_branch is null or p_ref = 'refs/heads/' || p_default_branch $$;

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

-- The rollups of one run (its analytics rows are written): as before (20261126110000_idse_agency),
-- plus the run counts mirror_commit kept, and all of it for counted refs only. The states the run set
-- get its markers and findings whatever the ref: they are that branch's state.
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

-- As in 20261126150000_idse_artifact_lookup, without counting the runs itself (rollup_runs does,
-- for counted refs only).
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

-- As in 20261126100000_idse_sync, taking the workspace's default branch from the payload.
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

-- A session's newest runs, of every ref or of one.
drop function idse.agency_runs(bigint, uuid, integer);
create function idse.agency_runs(
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

revoke all on function idse.ref_counts(text, text), idse.rebuild_rollups(bigint[]),
  idse.agency_runs(bigint, uuid, integer, text), idse.agency_branches(bigint, uuid) from public;
grant execute on function idse.ref_counts(text, text) to authenticated, service_role;
grant execute on function idse.rebuild_rollups(bigint[]) to authenticated, service_role;
grant execute on function idse.agency_runs(bigint, uuid, integer, text), idse.agency_branches(bigint, uuid)
  to authenticated, service_role;

-- What is stored already: states and rollups by the new rule (a no-op for repositories whose default
-- branch is unknown, which keep counting every ref).
select idse.pick_latest_states(array(select id from idse.sessions));
select idse.rebuild_rollups(array(
  select se.id from idse.sessions se join idse.projects pr on pr.id = se.project_id
  join idse.repositories r on r.id = pr.repository_id where r.default_branch is not null));
analyze idse.sessions;

notify pgrst, 'reload schema';
