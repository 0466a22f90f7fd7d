-- A refused sync push writes nothing (issue 20). Until now every push request first called
-- sync_prepare, which records the request id, creates the synced workspace and stores the blobs the
-- request carries, and only then was the commit validated: a push answered 4xx (an invalid config,
-- say) left its request id and blobs behind. The gateway now asks sync_lookup first, which writes
-- nothing, validates what it can, and calls sync_prepare only for a request it will accept.
--
-- Blobs uploaded for a push that never completed, or was refused after its upload step (blobs are
-- accepted, request by request, before the commit is whole), are collected by sync_collect_blobs
-- once a day old and referenced by no doc version of their workspace.

-- What sync_prepare would answer, without writing: whether the request id was seen, the client's
-- synced workspace for the project (null when there is none yet), whether the commit is recorded,
-- and which blobs the store lacks besides those the request carries.
-- request: {request_id, client_id, project, ref, commit_sha, blob_shas: [sha], given_shas: [sha]}
create or replace function idse.sync_lookup(request jsonb) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_request uuid := (request ->> 'request_id')::uuid;
  v_client uuid := (request ->> 'client_id')::uuid;
  v_project text := request ->> 'project';
  v_ref text := request ->> 'ref';
  v_commit text := request ->> 'commit_sha';
  v_shas jsonb := coalesce(request -> 'blob_shas', '[]');
  v_given jsonb := coalesce(request -> 'given_shas', '[]');
  v_repo_id bigint;
  v_event bigint;
  v_missing jsonb;
begin
  if v_request is null or v_client is null or v_project is null or v_ref is null or v_commit is null
     or jsonb_typeof(v_shas) <> 'array' or jsonb_typeof(v_given) <> 'array' then
    raise exception using errcode = '22023',
      message = 'sync lookup needs request_id, client_id, project, ref, commit_sha, blob_shas and given_shas';
  end if;
  perform from idse.clients where client_id = v_client;
  if not found then
    raise exception using errcode = '23503', message = format('client %s is not recorded', v_client);
  end if;
  perform from idse.sync_requests where request_id = v_request;
  if found then
    return jsonb_build_object('replayed', true);
  end if;

  select id into v_repo_id from idse.repositories
  where client_id = v_client and source = 'sync' and sync_project = v_project;
  if v_repo_id is not null then
    select id into v_event from idse.sync_events
    where delivery_id = idse.sync_delivery_id(v_repo_id, v_ref, v_commit);
  end if;

  select coalesce(jsonb_agg(m.sha order by m.sha), '[]') into v_missing
  from (
    select distinct s.sha from jsonb_array_elements_text(v_shas) as s(sha)
    where not exists (select from jsonb_array_elements_text(v_given) as g(sha) where g.sha = s.sha)
      and not exists (select from idse.sync_blobs b where b.repository_id = v_repo_id and b.blob_sha = s.sha)
  ) as m;

  return jsonb_build_object('replayed', false, 'repository_id', v_repo_id, 'recorded', v_event is not null,
    'sync_event_id', v_event, 'missing', v_missing);
end
$$;

-- Finding a blob's doc versions by content, within one repository.
create index artifacts_repository_blob on idse.artifacts (repository_id, blob_sha);

-- Deletes a synced workspace's blobs that are a day old and that no doc version refers to: the
-- uploads of pushes that never completed or were refused. A day leaves a push in progress its
-- blobs. request: {client_id, repository_id}. Returns how many were deleted.
create or replace function idse.sync_collect_blobs(request jsonb) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_client uuid := (request ->> 'client_id')::uuid;
  v_repo_id bigint := (request ->> 'repository_id')::bigint;
  v_deleted integer;
begin
  if v_client is null or v_repo_id is null then
    raise exception using errcode = '22023', message = 'collecting blobs needs client_id and repository_id';
  end if;
  delete from idse.sync_blobs b
  where b.client_id = v_client and b.repository_id = v_repo_id
    and b.created_at < now() - interval '1 day'
    and not exists (select from idse.artifacts a where a.repository_id = b.repository_id and a.blob_sha = b.blob_sha);
  get diagnostics v_deleted = row_count;
  return v_deleted;
end
$$;

revoke all on function idse.sync_lookup(jsonb), idse.sync_collect_blobs(jsonb) from public;
grant execute on function idse.sync_lookup(jsonb), idse.sync_collect_blobs(jsonb) to service_role;
