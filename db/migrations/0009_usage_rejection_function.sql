-- Issue 13: "can this member use Credits now?" (R18–R20, R32) is answered by the database, by the
-- same rule ledgerline_record_usage enforces, so TypeScript only formats what it is given and never
-- re-implements a limit. The reason an event of p_credits hundredths would be refused, or NULL if it
-- fits: no personal limit (or 0), the personal limit, then the group limit (NULL = no group limit).
-- The smallest event is 0.01 Credits, so "can use now" asks about p_credits = 1.
CREATE OR REPLACE FUNCTION ledgerline_usage_rejection(
  p_personal_limit bigint,
  p_personal_used bigint,
  p_group_limit bigint,
  p_group_used bigint,
  p_credits bigint
) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN p_personal_limit IS NULL OR p_personal_limit <= 0 THEN 'personal_limit_not_configured'
    WHEN coalesce(p_personal_used, 0) + p_credits > p_personal_limit THEN 'personal_limit_reached'
    WHEN p_group_limit IS NOT NULL AND coalesce(p_group_used, 0) + p_credits > p_group_limit THEN 'group_limit_reached'
  END
$$;
