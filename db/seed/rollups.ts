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
}
