-- Tenant isolation in the database (R1, defence in depth). The app connects (SET ROLE) as
-- ledgerline_app, which owns nothing and cannot bypass RLS; migrations and seeds run as the owner.
-- Every org-owned table only shows and accepts rows of the org in the per-transaction setting
-- app.org_id, which withOrg() sets. A query that forgets its org filter sees nothing else.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledgerline_app') THEN
    CREATE ROLE ledgerline_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;
--> statement-breakpoint
GRANT ledgerline_app TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO ledgerline_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ledgerline_app;
--> statement-breakpoint
-- R36: the audit log is append-only for the app: no UPDATE or DELETE privilege at all.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ledgerline_app;
--> statement-breakpoint
-- ...and for everyone, no entry is ever rewritten (org deletion by the owner may still cascade).
CREATE OR REPLACE FUNCTION ledgerline_audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: entries cannot be changed';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION ledgerline_audit_log_is_append_only();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledgerline_current_org() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('app.org_id', true), '')::uuid
$$;
--> statement-breakpoint
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON organizations USING (id = ledgerline_current_org()) WITH CHECK (id = ledgerline_current_org());
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['members', 'billing_groups', 'billing_group_viewers', 'billing_group_recipients', 'bill_deliveries',
    'groups', 'group_memberships', 'usage_events', 'member_group_period_usage', 'member_period_usage', 'group_period_usage',
    'idempotency_records', 'api_keys', 'audit_log']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (org_id = ledgerline_current_org()) WITH CHECK (org_id = ledgerline_current_org())', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- The two lookups that run before any org is known, as narrow SECURITY DEFINER functions rather
-- than a blanket bypass: each answers one row by an exact key and returns only what sign-in or
-- API-key authentication needs.
CREATE OR REPLACE FUNCTION ledgerline_sign_in_candidate(p_email text)
RETURNS TABLE (id uuid, org_id uuid, password_hash text, deactivated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.id, m.org_id, m.password_hash, m.deactivated_at FROM members m
  WHERE lower(m.email) = lower(p_email) AND m.password_hash IS NOT NULL
  LIMIT 1
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledgerline_sso_candidates(p_email text)
RETURNS TABLE (id uuid, org_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.id, m.org_id FROM members m
  WHERE lower(m.email) = lower(p_email) AND m.deactivated_at IS NULL
  LIMIT 2
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledgerline_api_key_by_hash(p_hash text)
RETURNS TABLE (id uuid, org_id uuid, secret_hash text, revoked_at timestamptz, last_used_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.id, k.org_id, k.secret_hash, k.revoked_at, k.last_used_at FROM api_keys k WHERE k.secret_hash = p_hash
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ledgerline_sign_in_candidate(text), ledgerline_sso_candidates(text), ledgerline_api_key_by_hash(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ledgerline_sign_in_candidate(text), ledgerline_sso_candidates(text), ledgerline_api_key_by_hash(text), ledgerline_current_org() TO ledgerline_app;
