import { sql } from "drizzle-orm";
import type { Executor } from "../connection";

/**
 * Rebuilds an org's per-period rollups from its usage events with set-based SQL. Seeds insert
 * events in bulk and call this once; the metering API maintains the rollups incrementally.
 */
export async function rebuildUsageRollups(db: Executor, orgId: string): Promise<void> {
  await db.execute(sql`delete from member_group_period_usage where org_id = ${orgId}`);
  await db.execute(sql`delete from member_period_usage where org_id = ${orgId}`);
  await db.execute(sql`delete from group_period_usage where org_id = ${orgId}`);
  await db.execute(sql`
    insert into member_group_period_usage (org_id, period, member_id, billing_group_id, credits, event_count)
    select org_id, period, member_id, billing_group_id, sum(credits), count(*)
    from usage_events where org_id = ${orgId}
    group by org_id, period, member_id, billing_group_id
    order by org_id, period, billing_group_id, member_id`);
  await db.execute(sql`
    insert into member_period_usage (org_id, member_id, period, credits)
    select org_id, member_id, period, sum(credits)
    from member_group_period_usage where org_id = ${orgId}
    group by org_id, member_id, period`);
  await db.execute(sql`
    insert into group_period_usage (org_id, period, billing_group_id, credits)
    select org_id, period, billing_group_id, sum(credits)
    from member_group_period_usage where org_id = ${orgId}
    group by org_id, period, billing_group_id`);
  await db.execute(sql`delete from group_daily_usage where org_id = ${orgId}`);
  await db.execute(sql`
    insert into group_daily_usage (org_id, billing_group_id, day, credits)
    select org_id, billing_group_id, (recorded_at at time zone 'UTC')::date, sum(credits)
    from usage_events where org_id = ${orgId}
    group by 1, 2, 3`);
}

/**
 * Seeds write months of usage in one go, then set members and groups up as they are now: their
 * settings history (migration 0017) would say everything began this month, and every past period
 * would show empty groups. Called last, this makes the current settings the org's history since
 * its first period with usage — the simplest past consistent with the seeded events.
 */
export async function backdateSettingsHistory(db: Executor, orgId: string): Promise<void> {
  const since = sql`(select coalesce(min(period), to_char(now() at time zone 'UTC', 'YYYY-MM'))
    from group_period_usage where org_id = ${orgId})`;
  await db.execute(sql`delete from member_period_settings where org_id = ${orgId}`);
  await db.execute(sql`
    insert into member_period_settings (org_id, member_id, period, billing_group_id, personal_limit, deactivated)
    select org_id, id, least(${since}, to_char(created_at at time zone 'UTC', 'YYYY-MM')),
      billing_group_id, personal_limit, deactivated_at is not null
    from members where org_id = ${orgId}`);
  await db.execute(sql`delete from billing_group_period_settings where org_id = ${orgId}`);
  await db.execute(sql`
    insert into billing_group_period_settings (org_id, billing_group_id, period, period_limit, default_personal_limit, deleted)
    select org_id, id, least(${since}, to_char(created_at at time zone 'UTC', 'YYYY-MM')),
      period_limit, default_personal_limit, deleted_at is not null
    from billing_groups where org_id = ${orgId}`);
  // The past member counts per group (migration 0021) follow the history just written.
  await db.execute(sql`select ledgerline_derive_member_count_changes(${orgId})`);
}
