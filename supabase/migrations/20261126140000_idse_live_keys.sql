-- Revoking a key ends what it opened at once: the gateway and the dashboard ask, on every request
-- that carries a token issued for a key, whether that key is still live (tokens last 15 minutes,
-- dashboard sessions 8 hours; without this a revoked key's tokens kept working until they expired).

create or replace function idse.api_key_live(key_id bigint) returns boolean
language sql stable
set search_path = ''
as $$
  select exists (select from idse.api_keys k where k.id = api_key_live.key_id and k.revoked_at is null)
$$;

revoke all on function idse.api_key_live(bigint) from public;
grant execute on function idse.api_key_live(bigint) to service_role;

notify pgrst, 'reload schema';
