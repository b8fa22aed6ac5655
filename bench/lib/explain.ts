// EXPLAIN (ANALYZE, BUFFERS) of exactly the SQL a screen runs: the screen's own query functions
// run on a drizzle instance whose logger records every statement, each in the app's org-scoped,
// row-level-secured transaction; then each recorded SELECT is explained with the same parameters.
import { drizzle } from "drizzle-orm/postgres-js";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import * as schema from "../../db/schema";
import type { Transaction } from "../../db/connection";

export type CapturedPlan = { statement: string; plan: string; seqScanOnUsageEvents: boolean; executionMs: number };

type Recorded = { query: string; params: unknown[] };

/**
 * Runs `screen(tx)` as the app role with `app.org_id` set, records its statements, then explains
 * each SELECT in a fresh transaction (EXPLAIN ANALYZE executes; a rolled-back read changes nothing).
 */
export async function explainScreen(
  client: postgres.Sql,
  orgId: string,
  screen: (tx: Transaction) => Promise<unknown>,
): Promise<CapturedPlan[]> {
  const recorded: Recorded[] = [];
  const db = drizzle(client, {
    schema,
    casing: "snake_case",
    logger: { logQuery: (query, params) => recorded.push({ query, params }) },
  });
  await db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.org_id', ${orgId}, true)`);
    await screen(tx);
  });
  const plans: CapturedPlan[] = [];
  for (const { query, params } of recorded) {
    if (!/^\s*(with|select)\b/i.test(query) || /set_config\(/.test(query)) continue;
    const rows = await client.begin(async (tx) => {
      await tx`select set_config('app.org_id', ${orgId}, true)`;
      return tx.unsafe<{ "QUERY PLAN": string }[]>(
        `explain (analyze, buffers, format text) ${query}`,
        params as postgres.ParameterOrJSON<never>[],
      );
    });
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    const execution = /Execution Time: ([\d.]+) ms/.exec(plan);
    plans.push({
      statement: query.replace(/\s+/g, " ").trim(),
      plan,
      seqScanOnUsageEvents: /Seq Scan on usage_events/.test(plan),
      executionMs: execution ? Number(execution[1]) : NaN,
    });
  }
  return plans;
}
