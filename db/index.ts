import "server-only";
import { sql } from "drizzle-orm";
import { createDatabase, replicaConnection, runtimeConnection, type Database, type Transaction } from "./connection";
import { env } from "@/lib/env";
import { logWarning, quietQueryError } from "@/lib/log";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";

export type { Database, Transaction, Executor } from "./connection";

// One pool per server process (and one for the replica, when there is one), kept across hot
// reloads in development.
const globalForDb = globalThis as unknown as { ledgerlineDb?: Database; ledgerlineReplicaDb?: Database };

function openPool(connection: { url: string; role?: string; warning?: string }): Database {
  // Once per server process: the pool is created once, on the first query after start-up.
  if (connection.warning) logWarning("database", connection.warning);
  return createDatabase(connection.url, { role: connection.role }).db;
}

export function getDb(): Database {
  globalForDb.ledgerlineDb ??= openPool(runtimeConnection(env()));
  return globalForDb.ledgerlineDb;
}

/**
 * The pool reports read from (issue 20): the streaming replica of DATABASE_REPLICA_APP_URL (or
 * DATABASE_REPLICA_URL), else the primary's own pool. Only for reads that may lag the primary by
 * the replication delay: nothing that decides (limits, assignments, ingestion) reads here.
 */
export function getReplicaDb(): Database {
  const replica = replicaConnection(env());
  if (!replica) return getDb();
  globalForDb.ledgerlineReplicaDb ??= openPool(replica);
  return globalForDb.ledgerlineReplicaDb;
}

/**
 * The replica once it has replayed everything the primary had committed when this was called;
 * the primary itself when there is no replica, or when the replica has not caught up within
 * `timeoutMs`. For reads that must not miss a committed write even though they may use the
 * replica: a statement is mailed once, so it must hold every event of its period.
 */
export async function getCaughtUpReplicaDb(timeoutMs = 5_000): Promise<Database> {
  const primary = getDb();
  const replica = getReplicaDb();
  if (replica === primary) return primary;
  const [position] = await primary.execute<{ lsn: string }>(sql`select pg_current_wal_lsn()::text as lsn`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A server that is not a standby (a replica URL pointing at a primary) has nothing to replay.
    const [replayed] = await replica.execute<{ done: boolean }>(
      sql`select not pg_is_in_recovery() or coalesce(pg_last_wal_replay_lsn() >= ${position!.lsn}::pg_lsn, false) as done`,
    );
    if (replayed?.done) return replica;
    if (Date.now() >= deadline) return primary;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Ends this process's pools (scripts and benchmarks that must exit); the next getDb() opens a new one. */
export async function closeDb(): Promise<void> {
  const pools = [globalForDb.ledgerlineDb, globalForDb.ledgerlineReplicaDb];
  globalForDb.ledgerlineDb = undefined;
  globalForDb.ledgerlineReplicaDb = undefined;
  await Promise.all(pools.map((db) => db?.$client.end()));
}

export type WithOrgOptions = {
  /**
   * Read on the replica (getReplicaDb) in a READ ONLY transaction. Read only on the primary too
   * when no replica is configured, so a write that slips into a report fails in every test run,
   * not only on a deployment with a replica.
   */
  replica?: boolean;
};

/**
 * The one entry point for org-scoped data access: opens a transaction and sets `app.org_id` for
 * it, so row-level security policies keyed on that setting can be switched on underneath without
 * touching any caller. It also sets `app.period`, the application clock's period, which the
 * settings-history triggers (migration 0017) file changes under, as ingestion files usage (R21).
 * The same settings hold on the replica, where the same policies apply (`{ replica: true }`).
 */
export async function withOrg<T>(
  orgId: string,
  work: (tx: Transaction) => Promise<T>,
  options: WithOrgOptions = {},
): Promise<T> {
  const db = options.replica ? getReplicaDb() : getDb();
  try {
    return await db.transaction(
      async (tx) => {
        await tx.execute(
          sql`select set_config('app.org_id', ${orgId}, true), set_config('app.period', ${periodOf(now())}, true)`,
        );
        return work(tx);
      },
      options.replica ? { accessMode: "read only" } : undefined,
    );
  } catch (error) {
    // R47: a failed query's error carries its SQL and parameters; only a quiet copy leaves here.
    throw quietQueryError(error);
  }
}
