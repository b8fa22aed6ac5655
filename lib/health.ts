import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import journal from "@/db/migrations/meta/_journal.json";
import { JOB_SCHEMA } from "@/lib/jobs/queues";
import { isShuttingDown } from "@/lib/runtime/shutdown";

// GET /api/ready (issue 20): may this instance take traffic? Three cheap reads on the pool, each
// answering on its own so one refusal does not hide the others. Unauthenticated, so it says which
// check failed and nothing else.

/** A job runner's pg-boss checks its cron schedule every 30 s and stamps `cron_on`; 3 missed stamps is down. */
export const JOB_RUNNER_STALE_SECONDS = 120;

/** The `when` of the newest migration this build ships (drizzle stores it as `created_at`). */
const NEWEST_MIGRATION = Math.max(...journal.entries.map((entry) => entry.when));

export type Readiness = {
  ready: boolean;
  checks: {
    database: "ok" | "unreachable";
    migrations: "current" | "pending" | "unknown";
    jobRunner: "running" | "not_running" | "unknown";
    shuttingDown: boolean;
  };
};

async function firstValue(query: ReturnType<typeof sql>): Promise<unknown> {
  const rows = (await getDb().execute(query)) as unknown as Record<string, unknown>[];
  return rows[0] ? Object.values(rows[0])[0] : undefined;
}

async function databaseIsReachable(): Promise<boolean> {
  return firstValue(sql`select 1`).then(
    () => true,
    () => false,
  );
}

/** Applied when the database's newest applied migration is this build's newest, or newer (a later release). */
async function migrationsState(): Promise<Readiness["checks"]["migrations"]> {
  try {
    const applied = await firstValue(sql`select max(created_at) from drizzle.__drizzle_migrations`);
    return Number(applied ?? 0) >= NEWEST_MIGRATION ? "current" : "pending";
  } catch {
    return "unknown";
  }
}

/** Any worker on this database counts (pg-boss's `cron_on` stamp), so every instance answers alike. */
async function jobRunnerState(): Promise<Readiness["checks"]["jobRunner"]> {
  try {
    const age = await firstValue(
      sql`select extract(epoch from now() - cron_on) from ${sql.identifier(JOB_SCHEMA)}.version`,
    );
    return age !== null && age !== undefined && Number(age) <= JOB_RUNNER_STALE_SECONDS ? "running" : "not_running";
  } catch {
    return "unknown";
  }
}

export async function checkReadiness(): Promise<Readiness> {
  const shuttingDown = isShuttingDown();
  const database = (await databaseIsReachable()) ? "ok" : "unreachable";
  const [migrations, jobRunner] =
    database === "ok" ? await Promise.all([migrationsState(), jobRunnerState()]) : (["unknown", "unknown"] as const);
  return {
    ready: !shuttingDown && database === "ok" && migrations === "current" && jobRunner === "running",
    checks: { database, migrations, jobRunner, shuttingDown },
  };
}
