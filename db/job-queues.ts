import PgBoss from "pg-boss";
import postgres from "postgres";
import { APP_ROLE } from "./connection";
import { JOB_SCHEMA, QUEUE_OPTIONS, QUEUES, SCHEDULES } from "../lib/jobs/queues";

/**
 * The job runner's tables (pg-boss), installed and upgraded by the owner with the migrations:
 * the schema, every queue (each is a table partition) and the schedules. The runtime role gets
 * rows, not DDL, so a compromised app process cannot create or drop anything here either.
 */
export async function installJobQueues(ownerUrl: string): Promise<void> {
  const boss = new PgBoss({
    connectionString: ownerUrl,
    schema: JOB_SCHEMA,
    max: 1,
    supervise: false,
    schedule: false,
    migrate: true,
    application_name: "ledgerline-migrate",
  });
  boss.on("error", () => {});
  await boss.start();
  try {
    for (const name of Object.values(QUEUES)) {
      // An existing queue takes the current settings too (a queue's policy once was `stately`).
      const options = { name, ...QUEUE_OPTIONS[name] };
      if (await boss.getQueue(name)) await boss.updateQueue(name, options);
      else await boss.createQueue(name, options);
    }
    // pg-boss's own queue for cron hand-offs, created here so the runtime never has to.
    if (!(await boss.getQueue(TIMEKEEPER_QUEUE))) await boss.createQueue(TIMEKEEPER_QUEUE);
    for (const { queue, cron } of SCHEDULES) await boss.schedule(queue, cron, {}, { tz: "UTC" });
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`
      GRANT USAGE ON SCHEMA ${JOB_SCHEMA} TO ${APP_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO ${APP_ROLE};
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${JOB_SCHEMA} TO ${APP_ROLE};
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${JOB_SCHEMA} TO ${APP_ROLE};`);
  } finally {
    await sql.end();
  }
}

/** pg-boss's internal queue that turns schedules into jobs (its `timekeeper`). */
const TIMEKEEPER_QUEUE = "__pgboss__send-it";
