-- Issue 19: `POST /api/v1/usage/batch` in one round trip. The whole array goes to one call, which
-- judges each event in request order by `ledgerline_record_usage` — the very function a single
-- event runs, so the same locks in the same order, idempotency, limits, attribution (R21) and
-- alerts (R40) — and answers each event's outcome in order. Rejections and unknown members are
-- answers, not errors, so one bad event does not sink the others. A lock conflict (deadlock, a
-- group changed while an event waited, a concurrent reuse of an idempotency key) is an error: the
-- statement rolls back whole and the caller runs it again, so no event is ever half recorded.
--
-- Why it locks first: a batch holds every lock it took until it commits, so two batches naming the
-- same members (or members of the same groups) in different orders would deadlock, and each
-- deadlock costs a second of `deadlock_timeout` before a retry. So before judging anything the
-- batch locks all its members in id order, then takes a transaction advisory lock per billing
-- group of theirs (Unassigned included) in id order. Only then does it touch usage rows, in
-- request order. A batch waiting for a member holds no usage row; a batch waiting for a group
-- holds only lower groups' advisory locks. Single events hold one member and one group row at a
-- time and take no advisory lock, so neither kind can close a cycle. Judging is unchanged: the
-- member rows are re-read under these locks by ledgerline_record_usage as before.
CREATE FUNCTION ledgerline_record_usage_batch(
  p_org_id uuid,
  p_api_key_id uuid,
  p_events jsonb,
  p_period text,
  p_recorded_at timestamptz
) RETURNS json
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
  v_event jsonb;
  v_results jsonb := '[]'::jsonb;
  v_ids uuid[];
  v_emails text[];
  v_group uuid;
BEGIN
  PERFORM set_config('app.org_id', p_org_id::text, true);
  SELECT array_agg(DISTINCT (e ->> 'memberId')::uuid) FILTER (WHERE e ->> 'memberId' IS NOT NULL),
         array_agg(DISTINCT lower(e ->> 'memberEmail')) FILTER (WHERE e ->> 'memberEmail' IS NOT NULL)
  INTO v_ids, v_emails
  FROM jsonb_array_elements(p_events) AS e;
  PERFORM 1 FROM members m
  WHERE m.org_id = p_org_id AND (m.id = ANY (coalesce(v_ids, '{}')) OR lower(m.email) = ANY (coalesce(v_emails, '{}')))
  ORDER BY m.id
  FOR UPDATE OF m;
  FOR v_group IN
    SELECT DISTINCT m.billing_group_id FROM members m
    WHERE m.org_id = p_org_id AND (m.id = ANY (coalesce(v_ids, '{}')) OR lower(m.email) = ANY (coalesce(v_emails, '{}')))
    ORDER BY m.billing_group_id NULLS FIRST
  LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(
      'ledgerline_batch_group:' || p_org_id::text || ':' || coalesce(v_group::text, 'unassigned'), 0));
  END LOOP;

  FOR v_event IN SELECT e.value FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, n) ORDER BY e.n LOOP
    v_results := v_results || jsonb_build_array(ledgerline_record_usage(
      p_org_id, p_api_key_id,
      (v_event ->> 'memberId')::uuid, v_event ->> 'memberEmail',
      (v_event ->> 'credits')::bigint,
      v_event ->> 'idempotencyKey', v_event ->> 'requestHash',
      p_period, p_recorded_at)::jsonb);
  END LOOP;
  RETURN v_results::json;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ledgerline_record_usage_batch(uuid, uuid, jsonb, text, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ledgerline_record_usage_batch(uuid, uuid, jsonb, text, timestamptz) TO ledgerline_app;
