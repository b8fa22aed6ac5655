// `npm run worker`: the background job runner on its own (statements at period close, R39), for
// running M workers beside N web instances on one database. `npm start` starts one beside the web
// server. Needs the same environment as the web server (DATABASE_APP_URL or DATABASE_URL, SMTP_URL…).
import { closeDb } from "@/db";
import { env } from "@/lib/env";
import { startJobRunner } from "@/lib/jobs/runner";
import { logFailure, logInfo } from "@/lib/log";

let runner: Awaited<ReturnType<typeof startJobRunner>>;
try {
  env(); // fail fast, with every configuration problem listed
  runner = await startJobRunner();
} catch (error) {
  console.error(`Ledgerline worker could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
logInfo(
  "worker",
  { smtp: Boolean(env().SMTP_URL) },
  env().SMTP_URL ? "worker running" : "worker running; SMTP_URL is not set: no statements are sent",
);

// Issue 20: a SIGTERM (rolling restart) lets the jobs in hand finish (pg-boss's graceful stop,
// at most 30 s), then closes the pool; a job cut off is retried by another worker.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logInfo("worker", { stopping: true, signal });
    runner
      .stop()
      .then(closeDb)
      .then(() => {
        logInfo("worker", { stopped: true });
        process.exit(0);
      })
      .catch((error) => {
        logFailure("worker stop", error);
        process.exit(1);
      });
  });
}
