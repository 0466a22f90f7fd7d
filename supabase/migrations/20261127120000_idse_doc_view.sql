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

revoke all on function idse.agency_docs(bigint, uuid, text) from public;
grant execute on function idse.agency_docs(bigint, uuid, text) to authenticated, service_role;

notify pgrst, 'reload schema';
