-- Issue 22 item 7: single sign-on resolves to the organization its identity provider is configured
-- for (OIDC_ORG_ID) and looks the member up under that org's row-level security; the global
-- lookup by email across organizations is gone.
REVOKE ALL ON FUNCTION ledgerline_sso_candidates(text) FROM ledgerline_app;
--> statement-breakpoint
DROP FUNCTION IF EXISTS ledgerline_sso_candidates(text);
--> statement-breakpoint
-- Issue 22 item 4: a password change ends every older session, whichever path changes it (there
-- is no password form yet; seeds, scripts and any future one are covered alike). Sign-out, role
-- changes and (de)activation move the same cutoff from lib/auth/sessions.ts.
CREATE OR REPLACE FUNCTION ledgerline_end_sessions_on_password_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.sessions_valid_after := clock_timestamp();
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER members_password_change_ends_sessions
  BEFORE UPDATE OF password_hash ON members
  FOR EACH ROW WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash)
  EXECUTE FUNCTION ledgerline_end_sessions_on_password_change();
