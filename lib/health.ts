import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";

/** Liveness for load balancers and Playwright's webServer: can the pool run a statement at all? */
export async function databaseIsReachable(): Promise<boolean> {
  try {
    await getDb().execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
