-- Issue 8: one usage event is judged and recorded in ONE statement, so one database round trip
-- (on this 2-core box a round trip costs more CPU than the work it carries). A single statement is
-- its own transaction: no BEGIN/COMMIT trips, and any error rolls back everything it did.
-- The rules are those of lib/usage/service.ts before this migration (docs/decisions.md, Metering API).

-- R25/R30: Credits as the API prints them — the same text as formatCredits() in
-- lib/credits/rules.ts (an integration test compares the two on many values).
CREATE OR REPLACE FUNCTION ledgerline_format_credits(p_hundredths bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN p_hundredths < 0 THEN '-' ELSE '' END
    || (abs(p_hundredths) / 100)::text
    || CASE
         WHEN abs(p_hundredths) % 100 = 0 THEN ''
         WHEN abs(p_hundredths) % 10 = 0 THEN '.' || (abs(p_hundredths) % 100 / 10)::text
         ELSE '.' || lpad((abs(p_hundredths) % 100)::text, 2, '0')
       END
$$;
--> statement-breakpoint
-- figures() of lib/usage/rules.ts: no limit means no limit and no remaining.
CREATE OR REPLACE FUNCTION ledgerline_credit_figures(p_used bigint, p_limit bigint) RETURNS json
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT json_build_object(
    'used', ledgerline_format_credits(p_used),
    'limit', ledgerline_format_credits(p_limit),
    'remaining', CASE WHEN p_limit IS NULL THEN NULL ELSE ledgerline_format_credits(greatest(p_limit - p_used, 0)) END)
$$;
--> statement-breakpoint
-- R20/R21/R30: records one usage event of an org, or nothing. Returns
-- {"outcome": "accepted"|"replayed"|"idempotency_conflict"|"member_not_found"|"rejected", "body"?, "error"?}.
-- The member is matched by id when p_member_id is given, else by email (case-insensitive); the
-- caller decides which, so that rule lives in one place (isUuid in lib/usage/rules.ts). The period
-- and time come from the caller's clock (lib/clock.ts), never from the database's.
--
-- Lock order, fixed so ingestion cannot deadlock with itself: member row → group_period_usage row
-- → member_period_usage row. member_period_usage rows are only ever written here, under their
-- member's row lock, so reading the personal total after taking that lock is exact; deciding the
-- personal limit by that read lets the group's conditional upsert be the first write, so every
-- rejection returns before anything was written (no error, no rollback, nothing in the server log).
-- A concurrent duplicate idempotency key fails on the record's primary key (23505) and the caller
-- retries, as do 40001/40P01.
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
  v_personal_used bigint;
  v_group_limit bigint;
  v_group_used bigint;
  v_event_id uuid := gen_random_uuid();
  v_body json;
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
    SELECT m.id, m.email, m.personal_limit, m.billing_group_id, bg.name AS group_name, bg.period_limit AS group_limit
    INTO v_member
    FROM members m LEFT JOIN billing_groups bg ON bg.org_id = m.org_id AND bg.id = m.billing_group_id
    WHERE m.org_id = p_org_id AND m.id = p_member_id AND m.deactivated_at IS NULL
    FOR UPDATE OF m;
  ELSE
    SELECT m.id, m.email, m.personal_limit, m.billing_group_id, bg.name AS group_name, bg.period_limit AS group_limit
    INTO v_member
    FROM members m LEFT JOIN billing_groups bg ON bg.org_id = m.org_id AND bg.id = m.billing_group_id
    WHERE m.org_id = p_org_id AND lower(m.email) = lower(p_member_email) AND m.deactivated_at IS NULL
    FOR UPDATE OF m;
  END IF;
  IF NOT FOUND THEN
    RETURN json_build_object('outcome', 'member_not_found');
  END IF;

  v_personal_limit := v_member.personal_limit;
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
    'personal', ledgerline_credit_figures(v_personal_used, v_personal_limit),
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
  )
  INSERT INTO idempotency_records (org_id, key, request_hash, event_id, response)
  SELECT p_org_id, p_idempotency_key, p_request_hash, event.id, v_body::jsonb FROM event;

  RETURN json_build_object('outcome', 'accepted', 'body', v_body);
END
$$;
--> statement-breakpoint
-- POST /api/v1/usage: the API-key check (R30: a missing, unknown or revoked key is 401) and the
-- event in the same round trip. The org is the key's, never the caller's. Returns
-- {"outcome": "unauthorized"} or {"orgId", "apiKeyId", "result": <ledgerline_record_usage>}.
CREATE OR REPLACE FUNCTION ledgerline_ingest_usage(
  p_key_hash text,
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
  v_key record;
BEGIN
  SELECT k.id, k.org_id INTO v_key FROM ledgerline_api_key_by_hash(p_key_hash) k WHERE k.revoked_at IS NULL;
  IF NOT FOUND THEN
    RETURN json_build_object('outcome', 'unauthorized');
  END IF;
  RETURN json_build_object(
    'orgId', v_key.org_id,
    'apiKeyId', v_key.id,
    'result', ledgerline_record_usage(v_key.org_id, v_key.id, p_member_id, p_member_email, p_credits,
      p_idempotency_key, p_request_hash, p_period, p_recorded_at));
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION
  ledgerline_record_usage(uuid, uuid, uuid, text, bigint, text, text, text, timestamptz),
  ledgerline_ingest_usage(text, uuid, text, bigint, text, text, text, timestamptz)
FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION
  ledgerline_record_usage(uuid, uuid, uuid, text, bigint, text, text, text, timestamptz),
  ledgerline_ingest_usage(text, uuid, text, bigint, text, text, text, timestamptz)
TO ledgerline_app;
