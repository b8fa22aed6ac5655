import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";

// What every delivery table (statement_deliveries, event_deliveries) shares: a worker's claim is
// its `lease_until`, and a worker stopping gives back what it claimed but did not try.

export type DeliveryTable = "statement_deliveries" | "event_deliveries";

/** Gives back deliveries this worker claimed but did not try (it is stopping). */
export async function releaseClaimedDeliveries(
  tx: Executor,
  params: { table: DeliveryTable; orgId: string; ids: string[] },
): Promise<void> {
  if (params.ids.length === 0) return;
  await tx.execute(sql`
    update ${sql.identifier(params.table)} set lease_until = null
    where org_id = ${params.orgId} and id in (${sql.join(
      params.ids.map((id) => sql`${id}`),
      sql`, `,
    )}) and status in ('queued', 'retrying')`);
}
