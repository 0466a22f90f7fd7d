-- Outbox: mirror jobs that could not be written when they happened. Workers claim jobs with a lease
-- (FOR UPDATE SKIP LOCKED, so replicas never take the same job) and complete or fail them; a job whose
-- worker died becomes claimable again when its lease ends.

-- job: {kind, payload, dedupe_key?, client_id?, run_at?, max_attempts?}
-- The dedupe key (e.g. the webhook delivery id) makes enqueueing the same job twice a no-op.
create or replace function idse.enqueue_outbox(job jsonb) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_id bigint;
begin
  if job ->> 'kind' is null or job -> 'payload' is null then
    raise exception using errcode = '22023', message = 'outbox job needs kind and payload';
  end if;
  insert into idse.outbox (kind, payload, dedupe_key, client_id, run_at, max_attempts)
  values (job ->> 'kind', job -> 'payload', job ->> 'dedupe_key', (job ->> 'client_id')::uuid,
    coalesce((job ->> 'run_at')::timestamptz, now()), coalesce((job ->> 'max_attempts')::integer, 10))
  on conflict (dedupe_key) do nothing
  returning id into v_id;
  if v_id is not null then
    return jsonb_build_object('id', v_id, 'duplicate', false);
  end if;
  select id into v_id from idse.outbox where dedupe_key = job ->> 'dedupe_key';
  return jsonb_build_object('id', v_id, 'duplicate', true);
end
$$;

-- Claims up to max_jobs due jobs for `worker` for lease_seconds; returns them oldest first.
create or replace function idse.claim_outbox(worker text, max_jobs integer default 10, lease_seconds integer default 60)
returns jsonb
language sql volatile
set search_path = ''
as $$
  with due as (
    select o.id from idse.outbox o
    where o.done_at is null and o.failed_at is null and o.run_at <= now()
      and o.attempts < o.max_attempts
      and (o.locked_until is null or o.locked_until < now())
    order by o.run_at, o.id
    limit greatest(max_jobs, 0)
    for update skip locked
  ), claimed as (
    update idse.outbox o
    set locked_by = worker, locked_until = now() + make_interval(secs => lease_seconds), attempts = o.attempts + 1
    from due where o.id = due.id
    returning o.id, o.kind, o.payload, o.dedupe_key, o.client_id, o.attempts, o.max_attempts,
      to_char(o.run_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as run_at
  )
  select coalesce(jsonb_agg(to_jsonb(claimed) order by claimed.run_at, claimed.id), '[]') from claimed
$$;

-- Done. Only the worker holding the lease can complete a job; returns whether it did.
create or replace function idse.complete_outbox(job_id bigint, worker text) returns boolean
language sql volatile
set search_path = ''
as $$
  with done as (
    update idse.outbox set done_at = now(), locked_until = null, last_error = null
    where id = job_id and locked_by = worker and done_at is null
    returning 1
  )
  select exists (select from done)
$$;

-- Failed attempt: retry after retry_seconds (default: exponential, 5 s doubling, capped at 1 h), or give
-- up once max_attempts is reached. Returns the job's state: 'retry', 'failed' or 'not-held'.
create or replace function idse.fail_outbox(job_id bigint, worker text, reason text, retry_seconds integer default null)
returns text
language plpgsql volatile
set search_path = ''
as $$
declare
  v_state text;
begin
  update idse.outbox o set
    last_error = reason,
    locked_by = null,
    locked_until = null,
    failed_at = case when o.attempts >= o.max_attempts then now() end,
    run_at = now() + make_interval(secs => coalesce(retry_seconds, least(3600, 5 * power(2, greatest(o.attempts - 1, 0)))))
  where o.id = job_id and o.locked_by = worker and o.done_at is null
  returning case when o.failed_at is null then 'retry' else 'failed' end into v_state;
  return coalesce(v_state, 'not-held');
end
$$;

revoke all on function idse.enqueue_outbox(jsonb), idse.claim_outbox(text, integer, integer),
  idse.complete_outbox(bigint, text), idse.fail_outbox(bigint, text, text, integer) from public;
grant execute on function idse.enqueue_outbox(jsonb), idse.claim_outbox(text, integer, integer),
  idse.complete_outbox(bigint, text), idse.fail_outbox(bigint, text, text, integer) to service_role;
