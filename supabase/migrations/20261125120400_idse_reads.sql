-- Read paths for the dashboard. SECURITY INVOKER: an authenticated caller gets its own client's rows
-- only (RLS), the service role may ask for any client.

-- Per-client summary: every session of the client's active repositories with its latest state (on the
-- repository's default branch when validated there, else the newest commit on any ref) and its pass
-- rate, plus totals. Cost is proportional to the client's sessions; it never reads artifacts.
-- for_client defaults to the caller's tenant claim. Times are ISO 8601 in UTC whatever the server's
-- TimeZone setting, so every backend answers the same text.
create or replace function idse.client_summary(for_client uuid default null) returns jsonb
language sql stable
set search_path = ''
as $$
  with latest as (
    select r.id as repository_id, r.full_name, pr.name as project, se.name as session, se.runs,
      se.passed_runs, st.ref, st.commit_sha, st.committed_at, st.stage, st.status, st.errors, st.warnings,
      st.coverage
    from idse.sessions se
    join idse.projects pr on pr.id = se.project_id
    join idse.repositories r on r.id = pr.repository_id
    left join lateral (
      select s.ref, s.commit_sha, s.committed_at, s.stage, s.status, s.errors, s.warnings, s.coverage
      from idse.session_states s
      where s.session_id = se.id
      order by (s.ref = 'refs/heads/' || r.default_branch) desc nulls last, s.committed_at desc, s.commit_sha desc
      limit 1
    ) as st on true
    where se.client_id = coalesce(for_client, idse.jwt_client_id()) and r.removed_at is null
  )
  select jsonb_build_object(
    'client_id', coalesce(for_client, idse.jwt_client_id()),
    'runs', coalesce(sum(l.runs), 0),
    'passed_runs', coalesce(sum(l.passed_runs), 0),
    'pass_rate', case when sum(l.runs) > 0 then round(sum(l.passed_runs)::numeric / sum(l.runs), 4) end,
    'sessions', coalesce(jsonb_agg(jsonb_build_object(
        'repository_id', l.repository_id,
        'repository', l.full_name,
        'project', l.project,
        'session', l.session,
        'ref', l.ref,
        'commit_sha', l.commit_sha,
        'committed_at', to_char(l.committed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'stage', l.stage,
        'status', l.status,
        'errors', l.errors,
        'warnings', l.warnings,
        'coverage', l.coverage,
        'runs', l.runs,
        'passed_runs', l.passed_runs,
        'pass_rate', case when l.runs > 0 then round(l.passed_runs::numeric / l.runs, 4) end
      ) order by l.full_name, l.project, l.session), '[]')
  )
  from latest l
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

-- PostgREST caches the schema; ask it to reload so the rpc functions are callable at once. Without a
-- PostgREST listening (plain Postgres, PGlite) this notification goes nowhere.
notify pgrst, 'reload schema';
