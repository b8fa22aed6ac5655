import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

// Plain module (no "server-only") so scripts — migrations, seeds, benchmarks — share the exact
// connection setup with the app. App code imports `@/db` instead.
/**
 * The NOLOGIN role that carries the app's grants: owns nothing, cannot bypass row-level security
 * (migration 0003). The runtime login role (DATABASE_APP_URL) inherits them (R47).
 */
export const APP_ROLE = "ledgerline_app";

export const OWNER_FALLBACK_WARNING =
  "DATABASE_APP_URL is not set: the app logs in with DATABASE_URL (the owner's login) and switches to role " +
  `${APP_ROLE} on every connection. A query that runs SET ROLE can switch back to the owner: set DATABASE_APP_URL ` +
  "to a login role of its own (SPEC R47; README, Production deployment).";

export const REPLICA_OWNER_FALLBACK_WARNING =
  "DATABASE_REPLICA_APP_URL is not set: reports log in to the replica with DATABASE_REPLICA_URL (the owner's login) " +
  `and switch to role ${APP_ROLE}: give them the runtime's own login role on the replica (SPEC R47).`;

/**
 * How the app reaches the database (R47): as the runtime's own login role when DATABASE_APP_URL is
 * set; otherwise as the owner switching to the app role at connect, with a warning to log.
 */
export function runtimeConnection(urls: { DATABASE_APP_URL?: string; DATABASE_URL?: string }): {
  url: string;
  role?: string;
  warning?: string;
} {
  if (urls.DATABASE_APP_URL) return { url: urls.DATABASE_APP_URL };
  if (urls.DATABASE_URL) return { url: urls.DATABASE_URL, role: APP_ROLE, warning: OWNER_FALLBACK_WARNING };
  throw new Error("Set DATABASE_APP_URL (the runtime's login role) or DATABASE_URL.");
}

/**
 * How the app reaches the streaming replica reports read from (issue 20), by the same rules as
 * the primary: the runtime login (DATABASE_REPLICA_APP_URL), else the owner's login switching to
 * the app role (DATABASE_REPLICA_URL). Undefined when no replica is configured: everything reads
 * the primary.
 */
export function replicaConnection(urls: {
  DATABASE_REPLICA_APP_URL?: string;
  DATABASE_REPLICA_URL?: string;
}): { url: string; role?: string; warning?: string } | undefined {
  if (urls.DATABASE_REPLICA_APP_URL) return { url: urls.DATABASE_REPLICA_APP_URL };
  if (urls.DATABASE_REPLICA_URL) {
    return { url: urls.DATABASE_REPLICA_URL, role: APP_ROLE, warning: REPLICA_OWNER_FALLBACK_WARNING };
  }
  return undefined;
}

export function createDatabase(url: string, options: { max?: number; role?: string } = {}) {
  const client = postgres(url, {
    // Only for the owner fallback: every connection switches to the app role at start-up, so RLS
    // applies to all app queries. The runtime login role needs no switch (and PgBouncer drops it).
    connection: options.role ? { options: `-c role=${options.role}` } : {},
    max: options.max ?? Number(process.env.DATABASE_POOL_SIZE ?? 10),
    // bigint columns come back as JS bigint, so Credits in hundredths are never rounded.
    types: { bigint: postgres.BigInt },
    onnotice: () => {},
  });
  const db = drizzle(client, { schema, casing: "snake_case" });
  return { db, client };
}

export type Database = ReturnType<typeof createDatabase>["db"];
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything a query can run on: the pool or an open transaction. */
export type Executor = Database | Transaction;
