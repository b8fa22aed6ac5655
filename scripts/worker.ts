// `npm run worker`: the background job runner on its own (statements at period close, R39), for
// running M workers beside N web instances on one database. `npm start` starts one beside the web
// server. Needs the same environment as the web server (DATABASE_APP_URL or DATABASE_URL, SMTP_URL…).
import { env } from "@/lib/env";
import { startJobRunner } from "@/lib/jobs/runner";

let runner: Awaited<ReturnType<typeof startJobRunner>>;
try {
  env(); // fail fast, with every configuration problem listed
  runner = await startJobRunner();
} catch (error) {
  console.error(`Ledgerline worker could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
console.log(
  `Ledgerline worker running (pid ${process.pid})${env().SMTP_URL ? "" : "; SMTP_URL is not set: no statements are sent"}`,
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    runner
      .stop()
      .then(() => process.exit(0))
      .catch((error) => {
        console.error(`Worker did not stop cleanly: ${error instanceof Error ? error.message : error}`);
        process.exit(1);
      });
  });
}
