-- Every read of "a session's latest state" without sorting its states on each read.
--
-- 1. sessions.latest_ref: the ref of the session's latest state (the repository's default branch when
--    validated there, else the newest commit on any ref). Kept by triggers on session_states and on a
--    repository's default branch, whoever writes them, so session_latest joins one row per session by
--    primary key instead of sorting each session's states (measured on the dashboard benchmark, 5,000
--    sessions: 15 ms → 5 ms, on every agency page and twice on the agency-wide one).
-- 2. client_summary reads session_latest: the rule above is written once, in idse.pick_latest_states.
-- 3. agency_metrics returns json, not jsonb: its per-session timelines (5,000 arrays agency-wide) were
--    converted to jsonb and back to text on the way out, a third of the function's time.
-- 4. agency_metrics plans each call for its scope (plan_cache_mode): a connection reused for more than
--    five calls got a generic plan that reads the agency-wide view 40% slower.

alter table idse.sessions add column latest_ref text;

-- Points the given sessions at their latest state (null when they have none). PL/pgSQL, so each
-- connection plans the update once rather than on every write (a SQL function's plan lives for one call).
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
    where s.session_id = x.id
    order by (s.ref = 'refs/heads/' || r.default_branch) desc nulls last, s.committed_at desc, s.commit_sha desc
    limit 1
  ) as pick on true
  where x.id = any(session_ids) and se.id = x.id and se.latest_ref is distinct from pick.ref;
end
$$;

-- Statement triggers: one call per write, however many states it touched. An update counts only
-- where a state's ref or commit changed: the rollups rewrite the markers and findings of every state a
-- run sets, which cannot change which state is latest.
create or replace function idse.session_states_changed() returns trigger
language plpgsql volatile
set search_path = ''
as $$
declare
  v_sessions bigint[];
begin
  if tg_op = 'INSERT' then
    select array_agg(distinct n.session_id) into v_sessions from new_states n;
  elsif tg_op = 'UPDATE' then
    select array_agg(distinct c.session_id) into v_sessions from (
      (select n.session_id, n.ref, n.committed_at, n.commit_sha from new_states n
       except select o.session_id, o.ref, o.committed_at, o.commit_sha from old_states o)
      union all
      (select o.session_id, o.ref, o.committed_at, o.commit_sha from old_states o
       except select n.session_id, n.ref, n.committed_at, n.commit_sha from new_states n)
    ) as c;
  else
    select array_agg(distinct o.session_id) into v_sessions from old_states o;
  end if;
  if v_sessions is not null then
    perform idse.pick_latest_states(v_sessions);
  end if;
  return null;
end
$$;

create trigger latest_state_on_insert after insert on idse.session_states
  referencing new table as new_states for each statement execute function idse.session_states_changed();
create trigger latest_state_on_update after update on idse.session_states
  referencing old table as old_states new table as new_states
  for each statement execute function idse.session_states_changed();
create trigger latest_state_on_delete after delete on idse.session_states
  referencing old table as old_states for each statement execute function idse.session_states_changed();

-- A new default branch can change which state is latest for every session of the repository.
create or replace function idse.default_branch_changed() returns trigger
language plpgsql volatile
set search_path = ''
as $$
begin
  perform idse.pick_latest_states(array(
    select se.id from idse.sessions se join idse.projects pr on pr.id = se.project_id
    where pr.repository_id = new.id));
  return null;
end
$$;

create trigger latest_state_on_default_branch after update of default_branch on idse.repositories
  for each row when (old.default_branch is distinct from new.default_branch)
  execute function idse.default_branch_changed();

revoke all on function idse.pick_latest_states(bigint[]), idse.session_states_changed(),
  idse.default_branch_changed() from public;
-- Whoever writes states or repositories runs these through the triggers, with its own rights (as
-- deployed only the service role writes; a tenant granted writes would still touch only its own rows).
grant execute on function idse.pick_latest_states(bigint[]), idse.session_states_changed(),
  idse.default_branch_changed() to authenticated, service_role;

select idse.pick_latest_states(array(select id from idse.sessions));
-- Every session row was rewritten: fresh statistics for the planner (the new column has none yet).
analyze idse.sessions;

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

-- As in 20261126110000_idse_agency, answered as json: built as text and sent as is.
drop function idse.agency_metrics(uuid, bigint, bigint, date, boolean);
create function idse.agency_metrics(
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
revoke all on function idse.agency_metrics(uuid, bigint, bigint, date, boolean) from public;
grant execute on function idse.agency_metrics(uuid, bigint, bigint, date, boolean) to authenticated, service_role;

notify pgrst, 'reload schema';
