-- mirror_commit (20261126110000_idse_agency) with one statement changed: the current pointers look up
-- each pushed doc's artifact row by its key instead of joining the repository's artifacts. With a
-- plan cached for any repository, the join read every version of every doc of the repository (5,000
-- rows at 20 runs × 25 sessions × 10 docs) for the 10 docs of a push: the dashboard benchmark's fill
-- spent nearly a third of its database time there and slowed as the history grew.

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

  update idse.sessions se
  set runs = se.runs + 1, passed_runs = se.passed_runs + (case when an.errors = 0 then 1 else 0 end)
  from idse.analytics an
  where an.sync_event_id = p_event and an.session_id = se.id;

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

notify pgrst, 'reload schema';
