-- Issue 19, item 2: `POST /api/v1/usage/batch` judged set-based. Migration 0018 ran the single
-- event's function once per event: a hundred events cost a hundred rounds of ~12 statements. Now
-- the batch reads its state once, judges every event in request order in memory, and writes what
-- it accepted with one statement per table. The outcome of each event is still exactly what it
-- would be if the events had been sent alone, one after the other, in request order:
--
--   * Same order of checks as ledgerline_record_usage (migration 0017): replay or conflict of an
--     idempotency key (also of a key used earlier in the same batch), unknown or deactivated
--     member, personal limit not configured (R42's default included), personal limit reached,
--     group limit reached; the same response bodies, figures and `threshold.crossed` events (R40).
--   * Exact under concurrency because everything the judging reads is locked before it is read:
--     the batch's members FOR UPDATE in id order (so their usage rows and billing groups cannot
--     change: moves and limit changes lock the member first), an advisory lock per billing group
--     in id order (batch against batch, as in 0018), then the groups' period usage rows FOR UPDATE
--     in id order — the row a single event of any other member of the group upserts, and the row a
--     group limit or threshold change locks before it commits (lib/alerts/service.ts). Only then
--     are the groups' limits, thresholds and defaults read, in a new statement, so they are the
--     committed ones. A single event holds its member and then one group row, and waits for a
--     batch's row only while holding nothing the batch needs: no cycle.
--   * A missing group usage row is created first (0 Credits) so it can be locked, and removed
--     again if nothing was accepted into it, so a batch of rejections leaves no trace.
--   * Lock conflicts (deadlock, a concurrent reuse of an idempotency key) still roll the whole
--     statement back, and the caller runs it again (lib/usage/service.ts withRetries).
CREATE OR REPLACE FUNCTION ledgerline_record_usage_batch(
  p_org_id uuid,
  p_api_key_id uuid,
  p_events jsonb,
  p_period text,
  p_recorded_at timestamptz
) RETURNS json
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
  -- The events, in request order.
  e_member_id uuid[];
  e_email text[];
  e_credits bigint[];
  e_key text[];
  e_hash text[];
  -- The batch's active members, locked; m_used is their running usage this period.
  m_id uuid[];
  m_email_lower text[];
  m_email text[];
  m_own_limit bigint[];
  m_group uuid[];
  m_used bigint[];
  -- Their billing groups (NULL is Unassigned), locked through their usage rows; g_used runs too.
  g_id uuid[];
  g_name text[];
  g_limit bigint[];
  g_default bigint[];
  g_thresholds text[];
  g_used bigint[];
  g_created uuid[];
  -- Idempotency records already stored for the batch's keys, and the keys this batch accepts.
  x_key text[];
  x_hash text[];
  x_body jsonb[];
  -- What the batch accepts, in order.
  a_event_id uuid[] := '{}';
  a_member uuid[] := '{}';
  a_group uuid[] := '{}';
  a_credits bigint[] := '{}';
  a_key text[] := '{}';
  a_hash text[] := '{}';
  a_body jsonb[] := '{}';
  -- Alert events (R40).
  al_group uuid[] := '{}';
  al_threshold smallint[] := '{}';
  al_data jsonb[] := '{}';
  v_results jsonb[] := '{}';
  v_ids uuid[];
  v_emails text[];
  v_seen_hash text;
  v_seen_body jsonb;
  v_groups_all uuid[];
  i integer;
  mi integer;
  gi integer;
  xi integer;
  v_credits bigint;
  v_default bigint;
  v_personal_limit bigint;
  v_limit_source text;
  v_group_limit bigint;
  v_group_used bigint;
  v_personal_used bigint;
  v_threshold smallint;
  v_events integer;
  v_event_id uuid;
  v_body jsonb;
  v_group uuid;
  v_count integer;
  v_n integer;
  -- How many events were accepted, and alert events written, so far.
  v_a integer := 0;
  v_al integer := 0;
BEGIN
  PERFORM set_config('app.org_id', p_org_id::text, true);
  SELECT array_agg((e.value ->> 'memberId')::uuid ORDER BY e.n),
         array_agg(e.value ->> 'memberEmail' ORDER BY e.n),
         array_agg((e.value ->> 'credits')::bigint ORDER BY e.n),
         array_agg(e.value ->> 'idempotencyKey' ORDER BY e.n),
         array_agg(e.value ->> 'requestHash' ORDER BY e.n)
  INTO e_member_id, e_email, e_credits, e_key, e_hash
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, n);
  v_n := coalesce(array_length(e_key, 1), 0);
  IF v_n = 0 THEN
    RETURN '[]'::json;
  END IF;

  -- 1. The members, locked in id order; then read (a new statement: the committed versions).
  -- Two arrays, not a subquery, so each side of the OR is an index scan.
  SELECT array_agg(DISTINCT x) FILTER (WHERE x IS NOT NULL) INTO v_ids FROM unnest(e_member_id) x;
  SELECT array_agg(DISTINCT lower(x)) FILTER (WHERE x IS NOT NULL) INTO v_emails FROM unnest(e_email) x;
  v_ids := coalesce(v_ids, '{}');
  v_emails := coalesce(v_emails, '{}');
  PERFORM 1 FROM members m
  WHERE m.org_id = p_org_id AND (m.id = ANY (v_ids) OR lower(m.email) = ANY (v_emails))
  ORDER BY m.id
  FOR UPDATE OF m;
  SELECT array_agg(m.id), array_agg(lower(m.email)), array_agg(m.email), array_agg(m.personal_limit),
         array_agg(m.billing_group_id), array_agg(coalesce(u.credits, 0))
  INTO m_id, m_email_lower, m_email, m_own_limit, m_group, m_used
  FROM members m
  LEFT JOIN member_period_usage u ON u.org_id = m.org_id AND u.member_id = m.id AND u.period = p_period
  WHERE m.org_id = p_org_id AND m.deactivated_at IS NULL AND (m.id = ANY (v_ids) OR lower(m.email) = ANY (v_emails));

  IF m_id IS NOT NULL THEN
    -- 2. Batch against batch: an advisory lock per billing group, in id order (as in 0018).
    SELECT array_agg(DISTINCT g ORDER BY g NULLS FIRST) INTO v_groups_all FROM unnest(m_group) g;
    FOREACH v_group IN ARRAY v_groups_all LOOP
      PERFORM pg_advisory_xact_lock(hashtextextended(
        'ledgerline_batch_group:' || p_org_id::text || ':' || coalesce(v_group::text, 'unassigned'), 0));
    END LOOP;
    -- 3. The groups' usage rows, created if missing, locked in id order, then the groups' settings.
    WITH created AS (
      INSERT INTO group_period_usage (org_id, period, billing_group_id, credits)
      SELECT p_org_id, p_period, g, 0 FROM unnest(v_groups_all) g
      ON CONFLICT ON CONSTRAINT group_period_usage_key DO NOTHING
      RETURNING billing_group_id
    )
    SELECT array_agg(billing_group_id) INTO g_created FROM created;
    PERFORM 1 FROM group_period_usage u
    WHERE u.org_id = p_org_id AND u.period = p_period AND array_position(v_groups_all, u.billing_group_id) IS NOT NULL
    ORDER BY u.billing_group_id NULLS FIRST
    FOR UPDATE;
    SELECT array_agg(g.id), array_agg(coalesce(bg.name, '')), array_agg(bg.period_limit),
           array_agg(bg.default_personal_limit), array_agg(coalesce(bg.alert_thresholds, '{}')::text),
           array_agg(coalesce(u.credits, 0))
    INTO g_id, g_name, g_limit, g_default, g_thresholds, g_used
    FROM unnest(v_groups_all) AS g(id)
    LEFT JOIN billing_groups bg ON bg.org_id = p_org_id AND bg.id = g.id
    LEFT JOIN group_period_usage u ON u.org_id = p_org_id AND u.period = p_period AND u.billing_group_id IS NOT DISTINCT FROM g.id;
  END IF;

  SELECT array_agg(r.key), array_agg(r.request_hash), array_agg(r.response)
  INTO x_key, x_hash, x_body
  FROM idempotency_records r WHERE r.org_id = p_org_id AND r.key = ANY (e_key);

  -- 4. Judge each event in request order, exactly as ledgerline_record_usage would.
  FOR i IN 1 .. v_n LOOP
    v_credits := e_credits[i];
    -- A key stored before, or accepted earlier in this batch: a replay, or a conflicting reuse.
    v_seen_hash := NULL;
    xi := array_position(x_key, e_key[i]);
    IF xi IS NOT NULL THEN
      v_seen_hash := x_hash[xi];
      v_seen_body := x_body[xi];
    ELSE
      xi := array_position(a_key, e_key[i]);
      IF xi IS NOT NULL THEN
        v_seen_hash := a_hash[xi];
        v_seen_body := a_body[xi];
      END IF;
    END IF;
    IF v_seen_hash IS NOT NULL THEN
      v_results[i] := CASE WHEN v_seen_hash = e_hash[i]
        THEN jsonb_build_object('outcome', 'replayed', 'body', v_seen_body)
        ELSE jsonb_build_object('outcome', 'idempotency_conflict') END;
      CONTINUE;
    END IF;

    mi := CASE WHEN e_member_id[i] IS NOT NULL THEN array_position(m_id, e_member_id[i])
               ELSE array_position(m_email_lower, lower(e_email[i])) END;
    IF mi IS NULL THEN
      v_results[i] := jsonb_build_object('outcome', 'member_not_found');
      CONTINUE;
    END IF;
    gi := array_position(g_id, m_group[mi]);

    v_default := CASE WHEN m_own_limit[mi] IS NULL AND m_group[mi] IS NOT NULL THEN g_default[gi] END;
    v_personal_limit := ledgerline_applying_personal_limit(m_own_limit[mi], v_default);
    v_limit_source := ledgerline_personal_limit_source(m_own_limit[mi], v_default);
    IF v_personal_limit IS NULL OR v_personal_limit <= 0 THEN
      v_results[i] := jsonb_build_object('outcome', 'rejected', 'error', 'personal_limit_not_configured');
      CONTINUE;
    END IF;
    IF m_used[mi] + v_credits > v_personal_limit THEN
      v_results[i] := jsonb_build_object('outcome', 'rejected', 'error', 'personal_limit_reached');
      CONTINUE;
    END IF;
    v_group_limit := CASE WHEN m_group[mi] IS NULL THEN NULL ELSE g_limit[gi] END;
    IF v_group_limit IS NOT NULL AND g_used[gi] + v_credits > v_group_limit THEN
      v_results[i] := jsonb_build_object('outcome', 'rejected', 'error', 'group_limit_reached');
      CONTINUE;
    END IF;

    g_used[gi] := g_used[gi] + v_credits;
    m_used[mi] := m_used[mi] + v_credits;
    v_group_used := g_used[gi];
    v_personal_used := m_used[mi];
    v_events := 0;
    IF m_group[mi] IS NOT NULL AND v_group_limit IS NOT NULL THEN
      FOREACH v_threshold IN ARRAY g_thresholds[gi]::smallint[] LOOP
        IF (v_group_used - v_credits) * 100 < v_threshold::bigint * v_group_limit
           AND v_group_used * 100 >= v_threshold::bigint * v_group_limit THEN
          v_al := v_al + 1;
          al_group[v_al] := m_group[mi];
          al_threshold[v_al] := v_threshold;
          al_data[v_al] := ledgerline_alert_event_data(m_group[mi], g_name[gi], p_period, v_threshold,
            v_group_used, v_group_limit, NULL)::jsonb;
          v_events := v_events + 1;
        END IF;
      END LOOP;
    END IF;

    v_event_id := gen_random_uuid();
    v_body := jsonb_build_object(
      'eventId', v_event_id,
      'period', p_period,
      'recordedAt', to_char(p_recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'member', jsonb_build_object('id', m_id[mi], 'email', m_email[mi]),
      'credits', ledgerline_format_credits(v_credits),
      -- UNASSIGNED_ID of lib/usage/rules.ts.
      'billingGroup', CASE WHEN m_group[mi] IS NULL
        THEN jsonb_build_object('id', 'unassigned', 'name', 'Unassigned')
        ELSE jsonb_build_object('id', m_group[mi], 'name', g_name[gi]) END,
      'personal', ledgerline_credit_figures(v_personal_used, v_personal_limit)::jsonb
        || jsonb_build_object('limitSource', v_limit_source),
      'group', ledgerline_credit_figures(v_group_used, v_group_limit)::jsonb);
    v_a := v_a + 1;
    a_event_id[v_a] := v_event_id;
    a_member[v_a] := m_id[mi];
    a_group[v_a] := m_group[mi];
    a_credits[v_a] := v_credits;
    a_key[v_a] := e_key[i];
    a_hash[v_a] := e_hash[i];
    a_body[v_a] := v_body;
    v_results[i] := jsonb_build_object('outcome', 'accepted', 'body', v_body, 'events', v_events);
  END LOOP;

  -- 5. Write what was accepted: one statement per table.
  IF v_a > 0 THEN
    INSERT INTO usage_events (org_id, id, member_id, billing_group_id, period, credits, api_key_id, recorded_at)
    SELECT p_org_id, a.id, a.member_id, a.group_id, p_period, a.credits, p_api_key_id, p_recorded_at
    FROM unnest(a_event_id, a_member, a_group, a_credits) WITH ORDINALITY AS a(id, member_id, group_id, credits, n)
    ORDER BY a.n;

    INSERT INTO member_group_period_usage AS r (org_id, period, member_id, billing_group_id, credits, event_count)
    SELECT p_org_id, p_period, a.member_id, a.group_id, sum(a.credits), count(*)
    FROM unnest(a_member, a_group, a_credits) AS a(member_id, group_id, credits)
    GROUP BY a.member_id, a.group_id
    ON CONFLICT ON CONSTRAINT member_group_period_usage_key
      DO UPDATE SET credits = r.credits + excluded.credits, event_count = r.event_count + excluded.event_count;

    -- The member locks guard these rows; a row that would pass its limit means they did not, so fail loudly.
    WITH added AS (
      SELECT a.member_id, sum(a.credits) AS credits FROM unnest(a_member, a_credits) AS a(member_id, credits)
      GROUP BY a.member_id
    ), written AS (
      INSERT INTO member_period_usage AS u (org_id, member_id, period, credits)
      SELECT p_org_id, added.member_id, p_period, added.credits FROM added
      ON CONFLICT (org_id, member_id, period) DO UPDATE SET credits = u.credits + excluded.credits
      RETURNING u.member_id, u.credits
    )
    SELECT count(*) INTO v_count FROM written w
    WHERE w.credits IS DISTINCT FROM m_used[array_position(m_id, w.member_id)];
    IF v_count > 0 THEN
      RAISE EXCEPTION 'member_period_usage changed under the member lock' USING ERRCODE = 'P0001';
    END IF;

    UPDATE group_period_usage u SET credits = u.credits + a.credits
    FROM (SELECT group_id, sum(credits) AS credits FROM unnest(a_group, a_credits) AS x(group_id, credits) GROUP BY group_id) a
    WHERE u.org_id = p_org_id AND u.period = p_period AND u.billing_group_id IS NOT DISTINCT FROM a.group_id;

    -- R45: the groups' UTC day, after their period rows (the order a single event takes them in).
    INSERT INTO group_daily_usage AS d (org_id, billing_group_id, day, credits)
    SELECT p_org_id, a.group_id, (p_recorded_at AT TIME ZONE 'UTC')::date, sum(a.credits)
    FROM unnest(a_group, a_credits) AS a(group_id, credits)
    GROUP BY a.group_id
    ON CONFLICT ON CONSTRAINT group_daily_usage_key DO UPDATE SET credits = d.credits + excluded.credits;

    INSERT INTO idempotency_records (org_id, key, request_hash, event_id, response)
    SELECT p_org_id, a.key, a.hash, a.id, a.body FROM unnest(a_key, a_hash, a_event_id, a_body) AS a(key, hash, id, body);

    IF v_al > 0 THEN
      INSERT INTO events (org_id, type, billing_group_id, period, threshold, data, created_at)
      SELECT p_org_id, 'threshold.crossed', a.group_id, p_period, a.threshold, a.data, p_recorded_at
      FROM unnest(al_group, al_threshold, al_data) WITH ORDINALITY AS a(group_id, threshold, data, n)
      ORDER BY a.n;
    END IF;
  END IF;

  -- A usage row this batch created only to lock it, and accepted nothing into, goes again.
  IF g_created IS NOT NULL THEN
    DELETE FROM group_period_usage u
    WHERE u.org_id = p_org_id AND u.period = p_period AND array_position(g_created, u.billing_group_id) IS NOT NULL
      AND u.credits = 0;
  END IF;

  RETURN array_to_json(v_results);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ledgerline_record_usage_batch(uuid, uuid, jsonb, text, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ledgerline_record_usage_batch(uuid, uuid, jsonb, text, timestamptz) TO ledgerline_app;
