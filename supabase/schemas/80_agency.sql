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
