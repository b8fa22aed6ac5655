import "server-only";
import { sql } from "drizzle-orm";
import { createDatabase, runtimeConnection, type Database, type Transaction } from "./connection";
import { env } from "@/lib/env";
import { logWarning, quietQueryError } from "@/lib/log";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";

export type { Database, Transaction, Executor } from "./connection";

// One pool per server process, kept across hot reloads in development.
const globalForDb = globalThis as unknown as { ledgerlineDb?: Database };

export function getDb(): Database {
  if (!globalForDb.ledgerlineDb) {
    const { url, role, warning } = runtimeConnection(env());
    // Once per server process: the pool is created once, on the first query after start-up.
    if (warning) logWarning("database", warning);
    globalForDb.ledgerlineDb = createDatabase(url, { role }).db;
  }
  return globalForDb.ledgerlineDb;
}

/** Ends this process's pool (scripts and benchmarks that must exit); the next getDb() opens a new one. */
export async function closeDb(): Promise<void> {
  const db = globalForDb.ledgerlineDb;
  globalForDb.ledgerlineDb = undefined;
  await db?.$client.end();
}

/**
 * The one entry point for org-scoped data access: opens a transaction and sets `app.org_id` for
 * it, so row-level security policies keyed on that setting can be switched on underneath without
 * touching any caller. It also sets `app.period`, the application clock's period, which the
 * settings-history triggers (migration 0017) file changes under, as ingestion files usage (R21).
 */
export async function withOrg<T>(orgId: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
  try {
    return await getDb().transaction(async (tx) => {
      await tx.execute(
        sql`select set_config('app.org_id', ${orgId}, true), set_config('app.period', ${periodOf(now())}, true)`,
      );
      return work(tx);
    });
  } catch (error) {
    // R47: a failed query's error carries its SQL and parameters; only a quiet copy leaves here.
    throw quietQueryError(error);
  }
}
