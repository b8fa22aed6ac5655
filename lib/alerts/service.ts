import "server-only";
import { sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { now } from "@/lib/clock";
import { type AlertSettings, thresholdTransitions } from "./rules";

// R40: the alert events a limit or threshold change causes, written in the caller's transaction
// (the one that changed the group), so a rolled-back change leaves none.

type Ctx = { orgId: string };

/**
 * Locks the group's usage row for `period` (creating it at 0 if the period has none yet) and
 * returns its credits. Ingestion (`ledgerline_record_usage`) takes the same row lock before it
 * judges thresholds, then re-reads the group: an event that waited here sees this transaction's
 * limit and thresholds, or starts over. So the usage read here is final until we commit.
 */
async function lockGroupUsage(tx: Transaction, ctx: Ctx, params: { groupId: string; period: string }) {
  const [row] = await tx.execute<{ credits: string }>(sql`
    insert into group_period_usage (org_id, period, billing_group_id, credits)
    values (${ctx.orgId}::uuid, ${params.period}, ${params.groupId}::uuid, 0)
    on conflict on constraint group_period_usage_key
      do update set credits = group_period_usage.credits
    returning credits::text as credits`);
  return BigInt(row!.credits);
}

/**
 * After the group's row has been updated in `tx`: `threshold.crossed` for each threshold usage
 * now reaches that was not announced, `threshold.resolved` for each announced one it is now below
 * (lib/alerts/rules.ts). Returns how many events were written, so the caller can wake the
 * dispatcher once the transaction has committed.
 */
export async function recordThresholdTransitions(
  tx: Transaction,
  ctx: Ctx,
  params: { group: { id: string; name: string }; period: string; before: AlertSettings; after: AlertSettings },
): Promise<number> {
  const { group, period, after } = params;
  const used = await lockGroupUsage(tx, ctx, { groupId: group.id, period });
  if (used === 0n) {
    // Nothing used, nothing reached. The row the lock created goes again (still locked until
    // commit: an event waiting for it then inserts its own), so a group's usage rows stay the
    // periods it has usage in (a deleted group is listed in those, R13).
    await tx.execute(sql`
      delete from group_period_usage
      where org_id = ${ctx.orgId}::uuid and period = ${period} and billing_group_id = ${group.id}::uuid and credits = 0`);
    return 0;
  }
  const { crossed, resolved } = thresholdTransitions({ used, before: params.before, after });
  const rows = [
    ...crossed.map((threshold) => ({ type: "threshold.crossed", threshold })),
    ...resolved.map((threshold) => ({ type: "threshold.resolved", threshold })),
  ];
  if (rows.length === 0) return 0;
  const createdAt = now().toISOString();
  await tx.execute(sql`
    insert into events (org_id, type, billing_group_id, period, threshold, data, created_at)
    values ${sql.join(
      rows.map(
        (row) => sql`(${ctx.orgId}::uuid, ${row.type}, ${group.id}::uuid, ${period}, ${row.threshold}::smallint,
          ledgerline_alert_event_data(${group.id}::uuid, ${group.name}, ${period}, ${row.threshold}::integer,
            ${used}::bigint, ${after.limit}::bigint, null),
          ${createdAt}::timestamptz)`,
      ),
      sql`, `,
    )}`);
  return rows.length;
}
