-- Issue 22 / R47: the runtime logs in as its own login role (LOGIN, member of ledgerline_app with
-- INHERIT, nothing else) instead of the owner switching roles at connect. Login roles are
-- cluster-wide and carry a password, so they are not created here: several databases share one
-- server (CI, parallel test runs), each with its own login. scripts/lib/runtime-role.mjs creates
-- and checks them; operators may create their own (README, Production deployment).
-- The owner stays a member of ledgerline_app (migration 0003): with only DATABASE_URL the app still
-- switches to it at connect, and that member-of direction gives ledgerline_app nothing of the owner.

-- Whether the role running the current statement bypasses row-level security: the role set by
-- SET ROLE, else the login. Read from the `role` setting, which a SECURITY DEFINER function does
-- not change (unlike current_user), so a definer function can ask it about its caller.
CREATE OR REPLACE FUNCTION ledgerline_caller_bypasses_rls() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce((
    SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles r
    WHERE r.rolname = CASE current_setting('role') WHEN 'none' THEN session_user ELSE current_setting('role') END
  ), false)
$$;
--> statement-breakpoint
-- ledgerline_members_matching (0006) returned another org's member ids when app.org_id was unset,
-- because of the coalesce in its check. Now a caller under row-level security (the runtime role,
-- ledgerline_app) gets only the org its transaction set, and nothing when none is set: NULL never
-- equals. Only a caller that bypasses RLS anyway (superuser or BYPASSRLS: seeds, tools, tests on
-- the owner's connection) may ask without an org, for it reads every member directly just as well.
CREATE OR REPLACE FUNCTION ledgerline_members_matching(p_org_id uuid, p_pattern text)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
ROWS 500 AS $$
  SELECT m.id FROM members m
  WHERE m.org_id = p_org_id
    AND (p_org_id = ledgerline_current_org()
      OR (ledgerline_current_org() IS NULL AND ledgerline_caller_bypasses_rls()))
    AND (m.name ILIKE p_pattern OR m.email ILIKE p_pattern)
$$;
--> statement-breakpoint
-- Only the owner creates objects in the app's schema. PostgreSQL 15 already starts new databases
-- this way; stated here so a database made from an older template cannot let the runtime create.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
