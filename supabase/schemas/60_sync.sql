-- Sync gateway: client workspaces that are not on GitHub push their committed docs through Agency Core
-- (`idse sync push`), and the agency publishes constitution, template and feedback updates back to
-- them (`idse sync pull`). See docs/sync.md.
--
-- A synced workspace is a repositories row with source 'sync' (tables.sql). The doc write path is
-- shared with record_validation (idse.mirror_commit, mirror.sql), so both obey the same ordering and
-- idempotency rules. A refused sync push writes nothing (issue 20): the gateway asks sync_lookup
-- first, which writes nothing, validates what it can, and calls sync_prepare only for a request it
-- will accept. Blobs uploaded for a push that never completed, or was refused after its upload step
-- (blobs are accepted, request by request, before the commit is whole), are collected by
-- sync_collect_blobs once a day old and referenced by no doc version of their workspace.

-- The sync event key of a pushed commit: pushing the same commit to the same ref again is a no-op.
create or replace function idse.sync_delivery_id(p_repo_id bigint, p_ref text, p_commit text) returns text
language sql immutable
set search_path = ''
as $$
  select format('sync:%s:%s:%s', p_repo_id, p_ref, p_commit)
$$;

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

-- First step of every push request: refuse a replayed request id, find (or create) the client's synced
-- workspace for the project, store the blobs the request carries, and say which of the commit's blobs
-- are still missing and whether the commit is recorded already.
-- request: {request_id, client_id, project, ref, commit_sha, blob_shas: [sha], blobs: [{blob_sha, content}]}
-- The caller has checked that each blob's content hashes to its blob_sha.
create or replace function idse.sync_prepare(request jsonb) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_request uuid := (request ->> 'request_id')::uuid;
  v_client uuid := (request ->> 'client_id')::uuid;
  v_project text := request ->> 'project';
  v_ref text := request ->> 'ref';
  v_commit text := request ->> 'commit_sha';
  v_blobs jsonb := coalesce(request -> 'blobs', '[]');
  v_shas jsonb := coalesce(request -> 'blob_shas', '[]');
  v_login text;
  v_repo_id bigint;
  v_event bigint;
  v_stored integer;
  v_missing jsonb;
begin
  if v_request is null or v_client is null or v_project is null or v_ref is null or v_commit is null
     or jsonb_typeof(v_blobs) <> 'array' or jsonb_typeof(v_shas) <> 'array' then
    raise exception using errcode = '22023',
      message = 'sync request needs request_id, client_id, project, ref, commit_sha, blob_shas and blobs';
  end if;
  select login into v_login from idse.clients where client_id = v_client;
  if not found then
    raise exception using errcode = '23503', message = format('client %s is not recorded', v_client);
  end if;

  insert into idse.sync_requests (request_id, client_id) values (v_request, v_client)
  on conflict (request_id) do nothing;
  if not found then
    return jsonb_build_object('replayed', true);
  end if;
  -- Tokens live minutes; a day of ids is plenty to recognise a replay while its token is valid.
  delete from idse.sync_requests where received_at < now() - interval '1 day';

  perform pg_advisory_xact_lock(hashtextextended('idse.sync-workspace:' || v_client || '/' || v_project, 0));
  select id into v_repo_id from idse.repositories
  where client_id = v_client and source = 'sync' and sync_project = v_project;
  if not found then
    insert into idse.repositories (id, client_id, installation_id, full_name, source, sync_project)
    values (nextval('idse.sync_repository_ids'), v_client, null, v_login || '/' || v_project, 'sync', v_project)
    returning id into v_repo_id;
  end if;

  insert into idse.sync_blobs (client_id, repository_id, blob_sha, content, size)
  select v_client, v_repo_id, b.blob_sha, b.content, octet_length(b.content)
  from jsonb_to_recordset(v_blobs) as b(blob_sha text, content text)
  order by b.blob_sha
  on conflict (repository_id, blob_sha) do nothing;
  get diagnostics v_stored = row_count;

  select id into v_event from idse.sync_events
  where delivery_id = idse.sync_delivery_id(v_repo_id, v_ref, v_commit);

  select coalesce(jsonb_agg(m.sha order by m.sha), '[]') into v_missing
  from (
    select distinct s.sha from jsonb_array_elements_text(v_shas) as s(sha)
    where not exists (select from idse.sync_blobs b where b.repository_id = v_repo_id and b.blob_sha = s.sha)
  ) as m;

  return jsonb_build_object('replayed', false, 'repository_id', v_repo_id, 'recorded', v_event is not null,
    'sync_event_id', v_event, 'stored', v_stored, 'missing', v_missing);
end
$$;

-- Contents of stored blobs of one client's synced workspace. request: {client_id, repository_id, blob_shas}
create or replace function idse.sync_blob_contents(request jsonb) returns jsonb
language sql stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('blob_sha', b.blob_sha, 'content', b.content) order by b.blob_sha), '[]')
  from idse.sync_blobs b
  where b.client_id = (request ->> 'client_id')::uuid
    and b.repository_id = (request ->> 'repository_id')::bigint
    and b.blob_sha in (select jsonb_array_elements_text(coalesce(request -> 'blob_shas', '[]')))
$$;

-- A pushed commit, validated by the gateway: every file of the project at that commit (artifacts, with
-- their findings) and its sessions. Paths current on the ref but absent from the commit are removed.
-- payload: {client_id, repository_id, ref, commit_sha, committed_at, default_branch?, ancestors: [sha],
--           artifacts: [...], sessions: [...]}; default_branch names the workspace's default branch;
--           ancestors (the commit's first parents, as far as the client sent them)
-- let it replace a current commit of the same second.
-- Answers which paths the push changed (accepted), how many it left as they were, and what it removed.
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

-- Publishes one doc to a client (and project, or all its projects when null). Publishing the content
-- that is already the latest for that path again is a no-op.
-- doc: {client_id, project?, path, kind, content, blob_sha}
create or replace function idse.publish_doc(doc jsonb) returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_client uuid := (doc ->> 'client_id')::uuid;
  v_project text := doc ->> 'project';
  v_latest idse.published_docs;
begin
  if v_client is null or doc ->> 'path' is null or doc ->> 'kind' is null or doc ->> 'content' is null
     or doc ->> 'blob_sha' is null then
    raise exception using errcode = '22023', message = 'published doc needs client_id, path, kind, content and blob_sha';
  end if;
  perform from idse.clients where client_id = v_client;
  if not found then
    raise exception using errcode = '23503', message = format('client %s is not recorded', v_client);
  end if;
  -- One publisher per client at a time: ids (the pull cursor) then become visible in order.
  perform pg_advisory_xact_lock(hashtextextended('idse.publish:' || v_client, 0));
  select * into v_latest from idse.published_docs
  where client_id = v_client and project is not distinct from v_project and path = doc ->> 'path'
  order by id desc limit 1;
  if found and v_latest.blob_sha = doc ->> 'blob_sha' and v_latest.kind = doc ->> 'kind' then
    return jsonb_build_object('id', v_latest.id, 'duplicate', true,
      'published_at', to_char(v_latest.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
  end if;
  insert into idse.published_docs (client_id, project, path, kind, content, blob_sha)
  values (v_client, v_project, doc ->> 'path', doc ->> 'kind', doc ->> 'content', doc ->> 'blob_sha')
  returning * into v_latest;
  return jsonb_build_object('id', v_latest.id, 'duplicate', false,
    'published_at', to_char(v_latest.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
end
$$;

-- What was published for a client's project after the cursor, oldest first, at most max_docs.
-- request: {client_id, project, since, max_docs}. Answers {docs, cursor, more}.
create or replace function idse.pull_published(request jsonb) returns jsonb
language sql stable
set search_path = ''
as $$
  with page as (
    select d.id, d.project, d.path, d.kind, d.content, d.blob_sha, d.published_at
    from idse.published_docs d
    where d.client_id = (request ->> 'client_id')::uuid
      and (d.project is null or d.project = request ->> 'project')
      and d.id > coalesce((request ->> 'since')::bigint, 0)
    order by d.id
    limit coalesce((request ->> 'max_docs')::integer, 500) + 1
  ), kept as (
    select * from page order by id limit coalesce((request ->> 'max_docs')::integer, 500)
  )
  select jsonb_build_object(
    'docs', coalesce((select jsonb_agg(jsonb_build_object(
        'id', k.id, 'project', k.project, 'path', k.path, 'kind', k.kind, 'content', k.content,
        'blob_sha', k.blob_sha,
        'published_at', to_char(k.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
      ) order by k.id) from kept k), '[]'),
    'cursor', coalesce((select max(id) from kept), coalesce((request ->> 'since')::bigint, 0)),
    'more', (select count(*) from page) > (select count(*) from kept)
  )
$$;

revoke all on function
  idse.sync_delivery_id(bigint, text, text),
  idse.sync_lookup(jsonb),
  idse.sync_prepare(jsonb),
  idse.sync_blob_contents(jsonb),
  idse.record_sync_push(jsonb),
  idse.sync_collect_blobs(jsonb),
  idse.publish_doc(jsonb),
  idse.pull_published(jsonb)
  from public;
grant execute on function
  idse.sync_delivery_id(bigint, text, text),
  idse.sync_lookup(jsonb),
  idse.sync_prepare(jsonb),
  idse.sync_blob_contents(jsonb),
  idse.record_sync_push(jsonb),
  idse.sync_collect_blobs(jsonb),
  idse.publish_doc(jsonb),
  idse.pull_published(jsonb)
  to service_role;
