import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

// Plain module (no "server-only") so scripts — migrations, seeds, benchmarks — share the exact
// connection setup with the app. App code imports `@/db` instead.
/** The role the app runs as: owns nothing, cannot bypass row-level security (migration 0003). */
export const APP_ROLE = "ledgerline_app";

export function createDatabase(url: string, options: { max?: number; role?: string } = {}) {
  const client = postgres(url, {
    // Every connection switches to the app role at start-up, so RLS applies to all app queries.
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
