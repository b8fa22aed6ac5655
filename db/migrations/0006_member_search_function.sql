-- Issue 8: member search through the trigram indexes of migration 0005. Under row-level security
-- PostgreSQL checks the policy before any qual that is not LEAKPROOF, and ILIKE is not, so a
-- search in the app's own queries can never use those indexes: it scans every member of the org.
-- This narrow SECURITY DEFINER function (like the sign-in lookups of 0003) returns only the ids of
-- one org's members that match, and never another org's than the one withOrg() set for the
-- transaction; the caller joins the ids under its own row-level security, as before.
CREATE OR REPLACE FUNCTION ledgerline_members_matching(p_org_id uuid, p_pattern text)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
ROWS 500 AS $$
  SELECT m.id FROM members m
  WHERE m.org_id = p_org_id
    AND p_org_id = coalesce(ledgerline_current_org(), p_org_id)
    AND (m.name ILIKE p_pattern OR m.email ILIKE p_pattern)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ledgerline_members_matching(uuid, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ledgerline_members_matching(uuid, text) TO ledgerline_app;
