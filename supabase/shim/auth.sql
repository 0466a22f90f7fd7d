-- Test/dev shim: the parts of Supabase's `auth` schema and roles that our migrations rely on, so the
-- same migrations run on plain Postgres and PGlite. NOT a migration: a real Supabase project has its
-- own auth schema and roles. src/store/migrate.ts applies this file first when `auth.jwt()` is
-- missing; apply it by hand (psql -f) before `supabase migration up` against a plain database.
--
-- Roles are cluster-wide while this file runs per database, so parallel test databases may race on
-- them: every role statement tolerates "already exists".

do $$
declare
  r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role'] loop
    if not exists (select from pg_roles where rolname = r) then
      begin
        -- NOINHERIT as on Supabase: a member gets a role's rights only after SET ROLE.
        execute format('create role %I nologin noinherit', r);
      exception when duplicate_object or unique_violation then null;
      end;
    end if;
    -- The connecting role must be able to SET ROLE to each of them (backends run as service_role,
    -- tests switch to anon/authenticated to check RLS).
    if not pg_has_role(current_user, r, 'member') then
      begin
        execute format('grant %I to %I', r, current_user);
      exception when duplicate_object or unique_violation then null;
      end;
    end if;
  end loop;
  -- Supabase's service_role bypasses RLS; anon and authenticated never do.
  if not (select rolbypassrls from pg_roles where rolname = 'service_role') then
    begin
      alter role service_role bypassrls;
    exception when others then
      -- Lost a race with a parallel database doing the same; the attribute is set either way.
      null;
    end;
  end if;
end
$$;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- Same definitions as Supabase: PostgREST stores the verified JWT claims in the transaction-local
-- setting request.jwt.claims. An unset setting reads as '' (not JSON), hence nullif before the cast.
create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;
