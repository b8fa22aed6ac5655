-- Issue 19: the Members list's search read the matching ids from ledgerline_members_matching and
-- then looked every match up again by primary key to filter, count and sort it (2,425 index probes
-- for one search at 50,000 members, half the statement). This variant returns the matching rows
-- themselves, read once by the trigram scan, so the list can take them as its `members`. Same
-- guard as migration 0008's: only the org the caller's transaction set, unless the caller bypasses
-- row-level security anyway. The id-only function stays for the pickers that join it.
CREATE FUNCTION ledgerline_members_matching_rows(p_org_id uuid, p_pattern text)
RETURNS SETOF members
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
ROWS 500 AS $$
  SELECT m.* FROM members m
  WHERE m.org_id = p_org_id
    AND (p_org_id = ledgerline_current_org()
      OR (ledgerline_current_org() IS NULL AND ledgerline_caller_bypasses_rls()))
    AND (m.name ILIKE p_pattern OR m.email ILIKE p_pattern)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ledgerline_members_matching_rows(uuid, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ledgerline_members_matching_rows(uuid, text) TO ledgerline_app;
