CREATE TABLE "billing_group_period_settings" (
	"org_id" uuid NOT NULL,
	"billing_group_id" uuid NOT NULL,
	"period" text NOT NULL,
	"period_limit" bigint,
	"default_personal_limit" bigint,
	"deleted" boolean DEFAULT false NOT NULL,
	CONSTRAINT "billing_group_period_settings_org_id_billing_group_id_period_pk" PRIMARY KEY("org_id","billing_group_id","period"),
	CONSTRAINT "billing_group_period_settings_period_format" CHECK ("billing_group_period_settings"."period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
CREATE TABLE "group_daily_usage" (
	"org_id" uuid NOT NULL,
	"billing_group_id" uuid,
	"day" date NOT NULL,
	"credits" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "group_daily_usage_key" UNIQUE NULLS NOT DISTINCT("org_id","billing_group_id","day"),
	CONSTRAINT "group_daily_usage_credits_nonneg" CHECK ("group_daily_usage"."credits" >= 0)
);
--> statement-breakpoint
CREATE TABLE "member_period_settings" (
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"period" text NOT NULL,
	"billing_group_id" uuid,
	"personal_limit" bigint,
	"deactivated" boolean DEFAULT false NOT NULL,
	CONSTRAINT "member_period_settings_org_id_member_id_period_pk" PRIMARY KEY("org_id","member_id","period"),
	CONSTRAINT "member_period_settings_period_format" CHECK ("member_period_settings"."period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
ALTER TABLE "billing_group_period_settings" ADD CONSTRAINT "billing_group_period_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_group_period_settings" ADD CONSTRAINT "billing_group_period_settings_org_id_billing_group_id_billing_groups_org_id_id_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_daily_usage" ADD CONSTRAINT "group_daily_usage_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_daily_usage" ADD CONSTRAINT "group_daily_usage_org_id_billing_group_id_billing_groups_org_id_id_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_period_settings" ADD CONSTRAINT "member_period_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_period_settings" ADD CONSTRAINT "member_period_settings_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "group_daily_usage_org_day_idx" ON "group_daily_usage" USING btree ("org_id","day");--> statement-breakpoint
CREATE INDEX "member_period_settings_period_idx" ON "member_period_settings" USING btree ("org_id","period");--> statement-breakpoint
-- Issue 18, period-true history. The period a change belongs to is the application clock's: withOrg
-- sets `app.period` (db/index.ts) beside `app.org_id`, as ingestion passes its period (R21). A
-- statement outside withOrg (a tool, psql) falls back to the database clock.
CREATE FUNCTION ledgerline_settings_period() RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('app.period', true), ''), to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM'))
$$;
--> statement-breakpoint
-- Statement-level triggers with transition tables: a bulk assign of 1,000 members or a 50,000-row
-- seed writes its history in one INSERT … SELECT, not a row at a time. (PostgreSQL does not allow
-- a column list with transition tables, so the UPDATE triggers compare old and new themselves.)
CREATE FUNCTION ledgerline_record_member_settings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO member_period_settings AS s (org_id, member_id, period, billing_group_id, personal_limit, deactivated)
    SELECT n.org_id, n.id, ledgerline_settings_period(), n.billing_group_id, n.personal_limit, n.deactivated_at IS NOT NULL
    FROM new_rows n
    ON CONFLICT (org_id, member_id, period) DO UPDATE SET billing_group_id = excluded.billing_group_id,
      personal_limit = excluded.personal_limit, deactivated = excluded.deactivated;
  ELSE
    INSERT INTO member_period_settings AS s (org_id, member_id, period, billing_group_id, personal_limit, deactivated)
    SELECT n.org_id, n.id, ledgerline_settings_period(), n.billing_group_id, n.personal_limit, n.deactivated_at IS NOT NULL
    FROM new_rows n JOIN old_rows o ON o.org_id = n.org_id AND o.id = n.id
    WHERE o.billing_group_id IS DISTINCT FROM n.billing_group_id
       OR o.personal_limit IS DISTINCT FROM n.personal_limit
       OR (o.deactivated_at IS NULL) <> (n.deactivated_at IS NULL)
    ON CONFLICT (org_id, member_id, period) DO UPDATE SET billing_group_id = excluded.billing_group_id,
      personal_limit = excluded.personal_limit, deactivated = excluded.deactivated;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER members_settings_history_insert AFTER INSERT ON members
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledgerline_record_member_settings();
--> statement-breakpoint
CREATE TRIGGER members_settings_history_update AFTER UPDATE ON members
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledgerline_record_member_settings();
--> statement-breakpoint
CREATE FUNCTION ledgerline_record_billing_group_settings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO billing_group_period_settings AS s (org_id, billing_group_id, period, period_limit, default_personal_limit, deleted)
    SELECT n.org_id, n.id, ledgerline_settings_period(), n.period_limit, n.default_personal_limit, n.deleted_at IS NOT NULL
    FROM new_rows n
    ON CONFLICT (org_id, billing_group_id, period) DO UPDATE SET period_limit = excluded.period_limit,
      default_personal_limit = excluded.default_personal_limit, deleted = excluded.deleted;
  ELSE
    INSERT INTO billing_group_period_settings AS s (org_id, billing_group_id, period, period_limit, default_personal_limit, deleted)
    SELECT n.org_id, n.id, ledgerline_settings_period(), n.period_limit, n.default_personal_limit, n.deleted_at IS NOT NULL
    FROM new_rows n JOIN old_rows o ON o.org_id = n.org_id AND o.id = n.id
    WHERE o.period_limit IS DISTINCT FROM n.period_limit
       OR o.default_personal_limit IS DISTINCT FROM n.default_personal_limit
       OR (o.deleted_at IS NULL) <> (n.deleted_at IS NULL)
    ON CONFLICT (org_id, billing_group_id, period) DO UPDATE SET period_limit = excluded.period_limit,
      default_personal_limit = excluded.default_personal_limit, deleted = excluded.deleted;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER billing_groups_settings_history_insert AFTER INSERT ON billing_groups
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledgerline_record_billing_group_settings();
--> statement-breakpoint
CREATE TRIGGER billing_groups_settings_history_update AFTER UPDATE ON billing_groups
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledgerline_record_billing_group_settings();
--> statement-breakpoint
-- History begins with this migration: each existing member and group gets one row, its values of
-- now, in the period it was created (what it had before is not known; docs/decisions.md). Usage
-- already recorded is rolled up by day from its events, once. The owner reads every org here, so
-- the two source tables' forced row security is lifted for these statements only.
ALTER TABLE members NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE billing_groups NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE usage_events NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
INSERT INTO member_period_settings (org_id, member_id, period, billing_group_id, personal_limit, deactivated)
SELECT org_id, id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), billing_group_id, personal_limit, deactivated_at IS NOT NULL
FROM members;
--> statement-breakpoint
INSERT INTO billing_group_period_settings (org_id, billing_group_id, period, period_limit, default_personal_limit, deleted)
SELECT org_id, id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), period_limit, default_personal_limit, deleted_at IS NOT NULL
FROM billing_groups;
--> statement-breakpoint
INSERT INTO group_daily_usage (org_id, billing_group_id, day, credits)
SELECT org_id, billing_group_id, (recorded_at AT TIME ZONE 'UTC')::date, sum(credits)
FROM usage_events GROUP BY 1, 2, 3;
--> statement-breakpoint
ALTER TABLE members FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE billing_groups FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE usage_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['member_period_settings', 'billing_group_period_settings', 'group_daily_usage'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (org_id = ledgerline_current_org()) WITH CHECK (org_id = ledgerline_current_org())', t);
  END LOOP;
END
$$;
--> statement-breakpoint
-- The runtime role writes history only through the triggers above (which run as the caller) and
-- the daily rollup only through ledgerline_record_usage; it never deletes either.
GRANT SELECT, INSERT, UPDATE ON member_period_settings, billing_group_period_settings, group_daily_usage TO ledgerline_app;
--> statement-breakpoint
-- `ledgerline_record_usage` of migration 0013 with one change: the same statement that writes the
-- event also adds it to its group's day in group_daily_usage (R45). Same locks, same order, same
-- grants (same signature).
CREATE OR REPLACE FUNCTION ledgerline_record_usage(
  p_org_id uuid,
  p_api_key_id uuid,
  p_member_id uuid,
  p_member_email text,
  p_credits bigint,
  p_idempotency_key text,
  p_request_hash text,
  p_period text,
  p_recorded_at timestamptz
) RETURNS json
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
  v_previous record;
  v_member record;
  v_personal_limit bigint;
  v_group_default bigint;
  v_limit_source text;
  v_personal_used bigint;
  v_group_limit bigint;
  v_group_used bigint;
  v_event_id uuid := gen_random_uuid();
  v_body json;
  v_fresh record;
  v_threshold smallint;
  v_events integer := 0;
BEGIN
  -- Row-level security applies to everything below, as under withOrg().
  PERFORM set_config('app.org_id', p_org_id::text, true);

  SELECT r.request_hash, r.response INTO v_previous
  FROM idempotency_records r WHERE r.org_id = p_org_id AND r.key = p_idempotency_key;
  IF FOUND THEN
    IF v_previous.request_hash = p_request_hash THEN
      RETURN json_build_object('outcome', 'replayed', 'body', v_previous.response);
    END IF;
    RETURN json_build_object('outcome', 'idempotency_conflict');
  END IF;

  -- The member row lock serializes this member's events; READ COMMITTED then re-reads the row, so
  -- a concurrent reassignment or billing group delete is seen before attribution (R21, R38).
  IF p_member_id IS NOT NULL THEN
    SELECT m.id, m.email, m.personal_limit, m.billing_group_id, bg.name AS group_name, bg.period_limit AS group_limit, bg.alert_thresholds
    INTO v_member
    FROM members m LEFT JOIN billing_groups bg ON bg.org_id = m.org_id AND bg.id = m.billing_group_id
    WHERE m.org_id = p_org_id AND m.id = p_member_id AND m.deactivated_at IS NULL
    FOR UPDATE OF m;
  ELSE
    SELECT m.id, m.email, m.personal_limit, m.billing_group_id, bg.name AS group_name, bg.period_limit AS group_limit, bg.alert_thresholds
    INTO v_member
    FROM members m LEFT JOIN billing_groups bg ON bg.org_id = m.org_id AND bg.id = m.billing_group_id
    WHERE m.org_id = p_org_id AND lower(m.email) = lower(p_member_email) AND m.deactivated_at IS NULL
    FOR UPDATE OF m;
  END IF;
  IF NOT FOUND THEN
    RETURN json_build_object('outcome', 'member_not_found');
  END IF;

  -- R42: a member without a limit of their own gets their billing group's default. Read in a new
  -- statement now that the member lock is held, so it is the default of the group the member is in
  -- at this moment (a move or a default change committed meanwhile is seen) and never a row version
  -- the locking read above joined before it waited.
  IF v_member.personal_limit IS NULL AND v_member.billing_group_id IS NOT NULL THEN
    SELECT bg.default_personal_limit INTO v_group_default
    FROM billing_groups bg WHERE bg.org_id = p_org_id AND bg.id = v_member.billing_group_id;
  END IF;
  v_personal_limit := ledgerline_applying_personal_limit(v_member.personal_limit, v_group_default);
  v_limit_source := ledgerline_personal_limit_source(v_member.personal_limit, v_group_default);
  IF v_personal_limit IS NULL OR v_personal_limit <= 0 THEN
    RETURN json_build_object('outcome', 'rejected', 'error', 'personal_limit_not_configured');
  END IF;
  -- A new statement, so a fresh snapshot: it sees what the previous holder of the member lock committed.
  SELECT u.credits INTO v_personal_used
  FROM member_period_usage u WHERE u.org_id = p_org_id AND u.member_id = v_member.id AND u.period = p_period;
  IF coalesce(v_personal_used, 0) + p_credits > v_personal_limit THEN
    RETURN json_build_object('outcome', 'rejected', 'error', 'personal_limit_reached');
  END IF;

  -- The group row is the one serialization point between members of a group: PostgreSQL
  -- re-evaluates the WHERE on the latest committed row, so the group limit is exact (R20).
  v_group_limit := CASE WHEN v_member.billing_group_id IS NULL THEN NULL ELSE v_member.group_limit END;
  IF v_group_limit IS NOT NULL AND p_credits > v_group_limit THEN
    RETURN json_build_object('outcome', 'rejected', 'error', 'group_limit_reached');
  END IF;
  INSERT INTO group_period_usage AS g (org_id, period, billing_group_id, credits)
  VALUES (p_org_id, p_period, v_member.billing_group_id, p_credits)
  ON CONFLICT ON CONSTRAINT group_period_usage_key DO UPDATE SET credits = g.credits + excluded.credits
    WHERE v_group_limit IS NULL OR g.credits + excluded.credits <= v_group_limit
  RETURNING g.credits INTO v_group_used;
  IF NOT FOUND THEN
    RETURN json_build_object('outcome', 'rejected', 'error', 'group_limit_reached');
  END IF;

  -- R40: a limit or threshold change locks this group's usage row before it judges thresholds
  -- (lib/alerts/service.ts). An event that waited for that lock read the group before the change
  -- committed: read it again (a new statement sees the commit) and start over if it moved, so
  -- both the limit and the alerts are judged against the group as it now is.
  IF v_member.billing_group_id IS NOT NULL THEN
    SELECT bg.period_limit, bg.alert_thresholds INTO v_fresh
    FROM billing_groups bg WHERE bg.org_id = p_org_id AND bg.id = v_member.billing_group_id;
    IF v_fresh.period_limit IS DISTINCT FROM v_member.group_limit
       OR v_fresh.alert_thresholds IS DISTINCT FROM v_member.alert_thresholds THEN
      RAISE EXCEPTION 'billing group changed while this event waited for its usage row' USING ERRCODE = '40001';
    END IF;
    -- R40: `threshold.crossed` for each threshold this event takes usage to or past. The group's
    -- usage row lock orders the group's events, so exactly one event spans each crossing.
    IF v_group_limit IS NOT NULL THEN
      FOREACH v_threshold IN ARRAY v_member.alert_thresholds LOOP
        IF (v_group_used - p_credits) * 100 < v_threshold::bigint * v_group_limit
           AND v_group_used * 100 >= v_threshold::bigint * v_group_limit THEN
          INSERT INTO events (org_id, type, billing_group_id, period, threshold, data, created_at)
          VALUES (p_org_id, 'threshold.crossed', v_member.billing_group_id, p_period, v_threshold,
            ledgerline_alert_event_data(v_member.billing_group_id, v_member.group_name, p_period, v_threshold,
              v_group_used, v_group_limit, NULL),
            p_recorded_at);
          v_events := v_events + 1;
        END IF;
      END LOOP;
    END IF;
  END IF;

  INSERT INTO member_period_usage AS u (org_id, member_id, period, credits)
  VALUES (p_org_id, v_member.id, p_period, p_credits)
  ON CONFLICT (org_id, member_id, period) DO UPDATE SET credits = u.credits + excluded.credits
    WHERE u.credits + excluded.credits <= v_personal_limit
  RETURNING u.credits INTO v_personal_used;
  IF NOT FOUND THEN
    -- Unreachable while the member lock guards this row; if it ever is not, fail loudly rather than overshoot.
    RAISE EXCEPTION 'member_period_usage changed under the member lock' USING ERRCODE = 'P0001';
  END IF;

  v_body := json_build_object(
    'eventId', v_event_id,
    'period', p_period,
    'recordedAt', to_char(p_recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'member', json_build_object('id', v_member.id, 'email', v_member.email),
    'credits', ledgerline_format_credits(p_credits),
    -- UNASSIGNED_ID of lib/usage/rules.ts.
    'billingGroup', CASE WHEN v_member.billing_group_id IS NULL
      THEN json_build_object('id', 'unassigned', 'name', 'Unassigned')
      ELSE json_build_object('id', v_member.billing_group_id, 'name', coalesce(v_member.group_name, '')) END,
    -- R42: which personal limit applied, and where it came from.
    'personal', ledgerline_credit_figures(v_personal_used, v_personal_limit)::jsonb
      || jsonb_build_object('limitSource', v_limit_source),
    'group', ledgerline_credit_figures(v_group_used, v_group_limit));

  -- One statement for the event, its member × group × period rollup and the idempotency record
  -- (measured ~15% less database CPU than three).
  WITH event AS (
    INSERT INTO usage_events (org_id, id, member_id, billing_group_id, period, credits, api_key_id, recorded_at)
    VALUES (p_org_id, v_event_id, v_member.id, v_member.billing_group_id, p_period, p_credits, p_api_key_id, p_recorded_at)
    RETURNING id
  ), rollup AS (
    INSERT INTO member_group_period_usage AS r (org_id, period, member_id, billing_group_id, credits, event_count)
    VALUES (p_org_id, p_period, v_member.id, v_member.billing_group_id, p_credits, 1)
    ON CONFLICT ON CONSTRAINT member_group_period_usage_key
      DO UPDATE SET credits = r.credits + excluded.credits, event_count = r.event_count + 1
  ), daily AS (
    -- R45: the group's UTC day. Its row is only ever locked after the group's period row above,
    -- which already orders this group's events, so it adds no new point of contention.
    INSERT INTO group_daily_usage AS d (org_id, billing_group_id, day, credits)
    VALUES (p_org_id, v_member.billing_group_id, (p_recorded_at AT TIME ZONE 'UTC')::date, p_credits)
    ON CONFLICT ON CONSTRAINT group_daily_usage_key DO UPDATE SET credits = d.credits + excluded.credits
  )
  INSERT INTO idempotency_records (org_id, key, request_hash, event_id, response)
  SELECT p_org_id, p_idempotency_key, p_request_hash, event.id, v_body::jsonb FROM event;

  -- `events`: how many alert events this one wrote, so the caller wakes the dispatcher after commit.
  RETURN json_build_object('outcome', 'accepted', 'body', v_body, 'events', v_events);
END
$$;

