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
