-- Agency Core: what an agency admin reads across clients (the App's /dashboard, `idse agency …`).
--
-- 1. Archive flags on projects and sessions: archived items leave the default views and keep their
--    rows (history); every read function takes with_archived to show them.
-- 2. Per run, the session's stage and open [REQUIRES INPUT] markers (analytics.stage, .markers, both
--    nullable: runs mirrored before this version, or by a client that doesn't send them, have none).
-- 3. Rollups kept by every mirrored commit (idse.mirror_commit) in the same transaction, so a page reads a few thousand rows
--    instead of every run of a year:
--      session_weeks            per session and ISO week (UTC, Monday): runs, passing runs, and the
--                               change in open markers that week (summed over weeks = markers open at
--                               the end of a week)
--      sessions.stage_times     when the session first reached each stage, in stage order (cycle times)
--      sessions.first_run_at / first_passed_at (init time)
-- 4. Read functions, SECURITY INVOKER like every function here: an authenticated caller sees its own
--    client's rows only (RLS); the service role may ask about any client. for_client null means every
--    client the caller may see (unlike client_summary, whose null means the caller's own tenant).

alter table idse.projects add column archived_at timestamptz;
alter table idse.sessions
  add column archived_at timestamptz,
  add column first_run_at timestamptz,
  add column first_passed_at timestamptz,
  -- Element i: when the session first reached stage i (idse.stages()), in epoch seconds: the form
  -- the dashboard reads (converting timestamps on every agency-wide page made that part of it twice
  -- as slow). Stages are reached in order, so this is a prefix of the stage list: its length is the
  -- furthest stage reached.
  add column stage_times bigint[] not null default '{}';
alter table idse.analytics
  add column stage text,
  add column markers integer check (markers >= 0);
-- The same two for a session's latest state on a ref, so reading the current state needs no join to
-- the runs.
alter table idse.session_states
  add column markers integer check (markers >= 0),
  add column rules jsonb not null default '{}';

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
create index projects_client on idse.projects (client_id);

alter table idse.session_weeks enable row level security;
alter table idse.session_weeks force row level security;
create policy tenant_isolation on idse.session_weeks for all to authenticated
  using (client_id = (select idse.jwt_client_id())) with check (client_id = (select idse.jwt_client_id()));
revoke all on idse.session_weeks from public, anon, authenticated;
grant select on idse.session_weeks to authenticated;
grant select, insert, update, delete on idse.session_weeks to service_role;

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

-- Rollups of the runs of one sync event (its analytics rows are written already). Called by
-- record_validation only; order-independent, so a late delivery of an older commit lands right:
--   markers: a run changes the open markers of its session by (its markers - the previous run's), in
--   commit order; slotting a run between two others also changes the next run's change, so both weeks
--   are adjusted. Runs without markers are skipped.
create or replace function idse.rollup_runs(event_id bigint) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  -- A run at stage k: stages 1..k were reached by its commit time at the latest.
  update idse.sessions se set
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

  -- The states this run set (or refreshed) get its open markers and findings per rule.
  update idse.session_states st set markers = an.markers, rules = an.rules
  from idse.analytics an
  where an.sync_event_id = event_id and st.sync_event_id = event_id and st.session_id = an.session_id;

  insert into idse.session_weeks as w (client_id, session_id, week, runs, passed_runs)
  select an.client_id, an.session_id, idse.week_of(an.committed_at), 1, case when an.errors = 0 then 1 else 0 end
  from idse.analytics an
  where an.sync_event_id = event_id
  order by an.session_id
  on conflict (session_id, week) do update set
    runs = w.runs + 1,
    passed_runs = w.passed_runs + excluded.passed_runs;

  with run as (
    select an.client_id, an.session_id, an.committed_at, an.markers,
      (select p.markers from idse.analytics p
       where p.session_id = an.session_id and p.markers is not null
         and (p.committed_at, p.sync_event_id) < (an.committed_at, an.sync_event_id)
       order by p.committed_at desc, p.sync_event_id desc limit 1) as previous,
      (select n.committed_at from idse.analytics n
       where n.session_id = an.session_id and n.markers is not null
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
revoke all on function idse.rollup_runs(bigint) from public;
grant execute on function idse.rollup_runs(bigint) to service_role;

-- The doc writes every mirrored commit shares (record_validation and record_sync_push, see
-- 20261126100000_idse_sync), plus: each analytics row keeps the session's stage and open markers, and
-- the run's rollups are updated in the same transaction.
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

-- Rollups of the runs mirrored before this version (they carry no markers, and stages only from the
-- sessions' current states).
update idse.sessions se set first_run_at = f.first_run, first_passed_at = f.first_pass
from (
  select session_id, min(committed_at) as first_run, min(committed_at) filter (where errors = 0) as first_pass
  from idse.analytics group by session_id
) as f
where f.session_id = se.id;
insert into idse.session_weeks (client_id, session_id, week, runs, passed_runs)
select client_id, session_id, idse.week_of(committed_at), count(*), count(*) filter (where errors = 0)
from idse.analytics
group by client_id, session_id, idse.week_of(committed_at);
update idse.session_states st set rules = an.rules
from idse.analytics an
where an.sync_event_id = st.sync_event_id and an.session_id = st.session_id;
update idse.sessions se set stage_times = r.reached
from (
  select x.session_id, array_agg(x.at order by x.i) as reached
  from (
    select st.session_id, s.i, extract(epoch from min(st.committed_at))::bigint as at
    from idse.session_states st
    cross join lateral generate_series(1, coalesce(array_position(idse.stages(), st.stage), 0)) as s(i)
    group by st.session_id, s.i
  ) as x
  group by x.session_id
) as r
where r.session_id = se.id;

-- What view_counts adds up for one session: few and narrow, so a page's thousands of them stay cheap
-- to pass around.
create type idse.session_tally as (
  errors integer, requirements integer, aligned integer, markers integer, runs integer,
  passed_runs integer, committed_at timestamptz
);

-- Every session with its latest state (the repository's default branch first, else the newest commit
-- on any ref, as in client_summary) with that run's open markers and findings per rule; archived and
-- removed flags so callers choose what to show (archived_at: the session's, else its project's).
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
left join lateral (
  select s.ref, s.commit_sha, s.committed_at, s.stage, s.status, s.errors, s.warnings, s.coverage, s.markers, s.rules
  from idse.session_states s
  where s.session_id = se.id
  order by (s.ref = 'refs/heads/' || r.default_branch) desc nulls last, s.committed_at desc, s.commit_sha desc
  limit 1
) as st on true;
revoke all on idse.session_latest from public, anon;
grant select on idse.session_latest to authenticated, service_role;

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

-- The newest runs of one session (of for_client, when given), newest first.
create or replace function idse.agency_runs(
  for_session bigint, for_client uuid default null, max_runs integer default 50
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
create or replace function idse.agency_metrics(
  for_client uuid default null, for_project bigint default null, for_session bigint default null,
  since date default null, with_archived boolean default false
) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_scope jsonb := idse.agency_scope(for_client, for_project, for_session);
  v_from date := idse.week_of(coalesce(since, now() - interval '51 weeks'));
  v_result jsonb;
begin
  if v_scope is null then
    return null;
  end if;
  with v as materialized (
    select * from idse.sessions_in_view(for_client, for_project, for_session,
      with_archived or (v_scope ->> 'archived')::boolean)
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
  select jsonb_build_object(
    'scope', v_scope,
    'since', to_char(v_from, 'YYYY-MM-DD'),
    'now', (select idse.view_counts(coalesce(array_agg(v.tally), '{}')) from v),
    'stages', (select coalesce(jsonb_object_agg(s.stage, s.n), '{}')
               from (select v.stage, count(*) as n from v where v.stage is not null group by v.stage) as s),
    'rules', (select coalesce(jsonb_object_agg(r.code, r.n), '{}')
              from (select e.key as code, sum(e.value::int) as n
                    from v cross join lateral jsonb_each_text(coalesce(v.rules, '{}')) as e
                    group by e.key) as r where r.n > 0),
    -- One two-dimensional array (rows padded with nulls to the same length), turned into JSON in one
    -- go: a third cheaper than building thousands of small JSON arrays.
    'timelines', (select coalesce(to_jsonb(array_agg(
                    array[extract(epoch from v.first_run_at)::bigint, extract(epoch from v.first_passed_at)::bigint]
                    || v.stage_times || array_fill(null::bigint, array[cardinality(idse.stages()) - cardinality(v.stage_times)])
                    order by v.session_id)), '[]')
                  from v where v.first_run_at is not null),
    'weeks', (select coalesce(jsonb_agg(jsonb_build_object('week', to_char(s.week, 'YYYY-MM-DD'),
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

revoke all on function
  idse.stages(), idse.week_of(timestamptz), idse.iso(timestamptz),
  idse.agency_scope(uuid, bigint, bigint), idse.sessions_in_view(uuid, bigint, bigint, boolean),
  idse.view_counts(idse.session_tally[]), idse.agency_clients(uuid, boolean),
  idse.agency_projects(uuid, boolean), idse.agency_sessions(uuid, bigint, boolean),
  idse.agency_runs(bigint, uuid, integer), idse.agency_metrics(uuid, bigint, bigint, date, boolean),
  idse.agency_set_archived(jsonb)
  from public;
grant execute on function
  idse.stages(), idse.week_of(timestamptz), idse.iso(timestamptz),
  idse.agency_scope(uuid, bigint, bigint), idse.sessions_in_view(uuid, bigint, bigint, boolean),
  idse.view_counts(idse.session_tally[]), idse.agency_clients(uuid, boolean),
  idse.agency_projects(uuid, boolean), idse.agency_sessions(uuid, bigint, boolean),
  idse.agency_runs(bigint, uuid, integer), idse.agency_metrics(uuid, bigint, bigint, date, boolean)
  to authenticated, service_role;
grant execute on function idse.agency_set_archived(jsonb) to service_role;

notify pgrst, 'reload schema';
