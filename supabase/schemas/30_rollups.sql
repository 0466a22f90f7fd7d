-- Latest states and rollups, kept by every mirrored commit in the same transaction, so a page reads a
-- few thousand rows instead of every run of a year.
--
-- The default branch is the truth. A session's state, its pass rate, its stage times and its trends
-- are those of the repository's default branch; a push to any other ref (a work-in-progress branch,
-- a pull request) is kept as that ref's state and runs, shown as a branch, and never becomes the
-- session's state. Only a repository whose default branch is unknown (not named by the App, or by a
-- synced workspace's client) counts every ref, and its latest state is the newest on any ref.
--
-- 1. pick_latest_states: sessions.latest_ref, the session's state on the default branch (none when
--    it has no state there yet). Kept by triggers on session_states and on a repository's default
--    branch, whoever writes them, so session_latest joins one row per session by primary key instead
--    of sorting each session's states (measured on the dashboard benchmark, 5,000 sessions: 15 ms →
--    5 ms, on every agency page and twice on the agency-wide one).
-- 2. rollup_runs: a run's rollups (runs, passing runs, first run, first passing run, stage times, the
--    weekly runs and open markers), for counted refs only (ref_counts).
-- 3. rebuild_rollups recomputes a session's rollups from its runs, when a repository's default branch
--    changes (or becomes known), by trigger.

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

-- Whether the runs of `p_ref` count for the session rollups of a repository whose default branch is
-- `p_default_branch` (null: not known, every ref counts).
create or replace function idse.ref_counts(p_ref text, p_default_branch text) returns boolean
language sql immutable
as $$ select p_default_branch is null or p_ref = 'refs/heads/' || p_default_branch $$;

-- Points the given sessions at their latest state (null when they have none, see above). PL/pgSQL, so
-- each connection plans the update once rather than on every write (a SQL function's plan lives for
-- one call).
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

-- The rollups of one run (its analytics rows are written), for counted refs only: runs and passing
-- runs, first run and first passing run, stage times, weekly series. The states the run set get its
-- markers and findings whatever the ref: they are that branch's state. Called by mirror_commit;
-- order-independent, so a late delivery of an older commit lands right:
--   markers: a run changes the open markers of its session by (its markers - the previous run's), in
--   commit order; slotting a run between two others also changes the next run's change, so both weeks
--   are adjusted. Runs without markers are skipped.
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

create trigger latest_state_on_default_branch after update of default_branch on idse.repositories
  for each row when (old.default_branch is distinct from new.default_branch)
  execute function idse.default_branch_changed();

revoke all on function
  idse.stages(),
  idse.week_of(timestamptz),
  idse.iso(timestamptz),
  idse.ref_counts(text, text),
  idse.rebuild_rollups(bigint[])
  from public;
grant execute on function
  idse.stages(),
  idse.week_of(timestamptz),
  idse.iso(timestamptz),
  idse.ref_counts(text, text),
  idse.rebuild_rollups(bigint[])
  to authenticated, service_role;

-- Whoever writes states or repositories runs these through the triggers, with its own rights (as
-- deployed only the service role writes; a tenant granted writes would still touch only its own rows).
revoke all on function
  idse.pick_latest_states(bigint[]),
  idse.session_states_changed(),
  idse.default_branch_changed()
  from public;
grant execute on function
  idse.pick_latest_states(bigint[]),
  idse.session_states_changed(),
  idse.default_branch_changed()
  to authenticated, service_role;

revoke all on function
  idse.rollup_runs(bigint)
  from public;
grant execute on function
  idse.rollup_runs(bigint)
  to service_role;
