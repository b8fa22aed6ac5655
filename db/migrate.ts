import { migrate } from "drizzle-orm/postgres-js/migrator";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { APP_ROLE, createDatabase } from "./connection";
import { installJobQueues } from "./job-queues";

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Applies every committed migration over a single connection, then installs or upgrades the job
 * runner's schema and queues (db/job-queues.ts). Safe to run on every start.
 */
export async function runMigrations(url: string): Promise<void> {
  const { db, client } = createDatabase(url, { max: 1 });
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    // /api/ready compares the applied migrations with the build's (issue 20): the runtime may read
    // drizzle's ledger of applied migrations, nothing else of that schema.
    await db.execute(sql.raw(`GRANT USAGE ON SCHEMA drizzle TO ${APP_ROLE}`));
    await db.execute(sql.raw(`GRANT SELECT ON drizzle.__drizzle_migrations TO ${APP_ROLE}`));
  } finally {
    await client.end();
  }
  await installJobQueues(url);
}
