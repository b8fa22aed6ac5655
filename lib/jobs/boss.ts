import "server-only";
import PgBoss from "pg-boss";
import { runtimeConnection } from "@/db/connection";
import { env } from "@/lib/env";
import { logFailure } from "@/lib/log";
import { JOB_SCHEMA, type QueueName } from "./queues";

// pg-boss on the runtime's own login (R47), like every other query of the app. It never migrates
// or creates queues (the owner does, db/job-queues.ts): `migrate: false` only checks the schema.

export type JobRole = "sender" | "runner";

export function createBoss(role: JobRole): PgBoss {
  const connection = runtimeConnection(env());
  const boss = new PgBoss({
    connectionString: connection.url,
    // The owner fallback: switch to the app role at connect, as db/connection.ts does.
    ...(connection.role ? { options: `-c role=${connection.role}` } : {}),
    schema: JOB_SCHEMA,
    migrate: false,
    application_name: `ledgerline-jobs-${role}`,
    max: role === "runner" ? 4 : 2,
    // Only runners keep time (cron) and tidy up (expire, archive); a sender just sends.
    schedule: role === "runner",
    supervise: role === "runner",
  });
  boss.on("error", (error) => logFailure(`jobs.${role}`, error));
  return boss;
}

const globalForJobs = globalThis as unknown as { ledgerlineJobSender?: Promise<PgBoss> };

/** The web server's handle for queuing jobs (Send Statement), opened on first use. */
function jobSender(): Promise<PgBoss> {
  globalForJobs.ledgerlineJobSender ??= (async () => {
    const boss = createBoss("sender");
    await boss.start();
    return boss;
  })().catch((error) => {
    globalForJobs.ledgerlineJobSender = undefined;
    throw error;
  });
  return globalForJobs.ledgerlineJobSender;
}

/**
 * Queues a job keyed by `key` (a second one for the same key while one waits is dropped: the
 * queues are `short`). Never throws: jobs are wake-ups for work recorded in the database, and
 * the minute's sweep finds that work anyway if the queue cannot be reached now.
 */
export async function queueJob(name: QueueName, data: object, key: string): Promise<void> {
  try {
    await (await jobSender()).send(name, data, { singletonKey: key });
  } catch (error) {
    logFailure(`jobs.queue.${name}`, error);
  }
}

/** Stops this process's job sender, if one was opened (scripts and benchmarks that must exit). */
export async function closeJobSender(): Promise<void> {
  const sender = globalForJobs.ledgerlineJobSender;
  globalForJobs.ledgerlineJobSender = undefined;
  if (sender) await (await sender.catch(() => undefined))?.stop({ graceful: false });
}
