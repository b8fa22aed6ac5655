CREATE TABLE "group_period_member_changes" (
	"org_id" uuid NOT NULL,
	"billing_group_id" uuid,
	"period" text NOT NULL,
	"member_count_change" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "group_period_member_changes_key" UNIQUE NULLS NOT DISTINCT("org_id","billing_group_id","period"),
	CONSTRAINT "group_period_member_changes_period_format" CHECK ("group_period_member_changes"."period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
ALTER TABLE "group_period_member_changes" ADD CONSTRAINT "group_period_member_changes_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_period_member_changes" ADD CONSTRAINT "group_period_member_changes_org_id_billing_group_id_billing_groups_org_id_id_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Issue 19: a past period's member count per billing group, kept as each group's net change in
-- active members per period (db/schema/history.ts). The trigger sits beside migration 0017's
-- settings history on the same statements, with the same period (ledgerline_settings_period), so
-- the sum of a group's changes up to P equals the count of members whose latest settings row up
-- to P is active in that group. Members are never deleted but with their org (which cascades this
-- table away too), so there is no DELETE trigger. Rows are written in key order so concurrent
-- moves between the same groups lock them in the same order.
CREATE FUNCTION ledgerline_record_member_count_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO group_period_member_changes AS c (org_id, billing_group_id, period, member_count_change)
    SELECT n.org_id, n.billing_group_id, ledgerline_settings_period(), count(*)::int
    FROM new_rows n WHERE n.deactivated_at IS NULL
    GROUP BY n.org_id, n.billing_group_id
    ORDER BY n.org_id, n.billing_group_id
    ON CONFLICT ON CONSTRAINT group_period_member_changes_key
    DO UPDATE SET member_count_change = c.member_count_change + excluded.member_count_change;
  ELSE
    INSERT INTO group_period_member_changes AS c (org_id, billing_group_id, period, member_count_change)
    SELECT change.org_id, change.billing_group_id, ledgerline_settings_period(), sum(change.members)::int
    FROM (
      SELECT o.org_id, o.billing_group_id, -1 AS members
      FROM old_rows o JOIN new_rows n ON n.org_id = o.org_id AND n.id = o.id
      WHERE o.deactivated_at IS NULL
        AND (n.deactivated_at IS NOT NULL OR n.billing_group_id IS DISTINCT FROM o.billing_group_id)
      UNION ALL
      SELECT n.org_id, n.billing_group_id, 1
      FROM old_rows o JOIN new_rows n ON n.org_id = o.org_id AND n.id = o.id
      WHERE n.deactivated_at IS NULL
        AND (o.deactivated_at IS NOT NULL OR n.billing_group_id IS DISTINCT FROM o.billing_group_id)
    ) change
    GROUP BY change.org_id, change.billing_group_id
    HAVING sum(change.members) <> 0
    ORDER BY change.org_id, change.billing_group_id
    ON CONFLICT ON CONSTRAINT group_period_member_changes_key
    DO UPDATE SET member_count_change = c.member_count_change + excluded.member_count_change;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER members_count_changes_insert AFTER INSERT ON members
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledgerline_record_member_count_changes();
--> statement-breakpoint
CREATE TRIGGER members_count_changes_update AFTER UPDATE ON members
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledgerline_record_member_count_changes();
--> statement-breakpoint
-- Derives an org's changes from its settings history (each row adds its member to its group if
-- active and takes them from the previous row's group if that was active), replacing what was
-- there. This migration runs it for every org; seeds that backdate the history
-- (db/seed/rollups.ts) run it again after. Not granted to the runtime role.
CREATE FUNCTION ledgerline_derive_member_count_changes(p_org_id uuid) RETURNS void
LANGUAGE sql VOLATILE SET search_path = public, pg_temp AS $$
  DELETE FROM group_period_member_changes WHERE org_id = p_org_id;
  WITH history AS (
    SELECT s.billing_group_id, s.period, s.deactivated,
      lag(s.billing_group_id) OVER w AS previous_group,
      lag(s.deactivated) OVER w AS previous_deactivated,
      row_number() OVER w AS nth
    FROM member_period_settings s
    WHERE s.org_id = p_org_id
    WINDOW w AS (PARTITION BY s.member_id ORDER BY s.period)
  ), change AS (
    SELECT billing_group_id, period, 1 AS members FROM history WHERE NOT deactivated
    UNION ALL
    SELECT previous_group, period, -1 FROM history WHERE nth > 1 AND NOT previous_deactivated
  )
  INSERT INTO group_period_member_changes (org_id, billing_group_id, period, member_count_change)
  SELECT p_org_id, billing_group_id, period, sum(members)::int
  FROM change GROUP BY billing_group_id, period HAVING sum(members) <> 0;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ledgerline_derive_member_count_changes(uuid) FROM PUBLIC;
--> statement-breakpoint
ALTER TABLE member_period_settings NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
SELECT ledgerline_derive_member_count_changes(id) FROM organizations;
--> statement-breakpoint
ALTER TABLE member_period_settings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE group_period_member_changes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE group_period_member_changes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON group_period_member_changes
  USING (org_id = ledgerline_current_org()) WITH CHECK (org_id = ledgerline_current_org());
--> statement-breakpoint
-- The runtime role writes this table only through the trigger above, which runs as the caller.
GRANT SELECT, INSERT, UPDATE ON group_period_member_changes TO ledgerline_app;
