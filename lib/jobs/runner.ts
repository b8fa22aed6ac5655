import "server-only";
import { logFailure } from "@/lib/log";
import { closeMailTransport } from "@/lib/mail/transport";
import { parseStatementTarget, statementSendKey } from "@/lib/statements/jobs";
import { runStatementTick } from "@/lib/statements/period-close";
import { sendDueStatements, type StatementTarget } from "@/lib/statements/sender";
import { createBoss } from "./boss";
import { QUEUES } from "./queues";

// The background worker (`npm run worker`, and beside the web server under `npm start`): works the
// queues of lib/jobs/queues.ts. Any number of workers may run on one database: pg-boss hands each
// job to one of them, its cron fires the minute's tick once across all of them, and the effects
// are made once by the database (lib/statements/queries.ts), whoever runs them.

/** Statement sends worked at once per worker (each holds one SMTP conversation at a time). */
const SEND_CONCURRENCY = 2;

export type JobRunner = { stop(): Promise<void> };

function logInfo(where: string, fields: object): void {
  console.log(JSON.stringify({ level: "info", where, ...fields }));
}

export async function startJobRunner(): Promise<JobRunner> {
  const boss = createBoss("runner");
  await boss.start();
  const stopping = new AbortController();

  const wake = async (target: StatementTarget) => {
    await boss.send(QUEUES.statementsSend, target, { singletonKey: statementSendKey(target) });
  };

  await boss.work(QUEUES.statementsTick, { pollingIntervalSeconds: 2 }, async () => {
    try {
      const outcome = await runStatementTick({ wake });
      if (outcome.closedOrgs > 0 || outcome.woken > 0) logInfo("statements.tick", outcome);
    } catch (error) {
      logFailure("statements.tick", error);
      throw error;
    }
  });
  for (let i = 0; i < SEND_CONCURRENCY; i++) {
    await boss.work(QUEUES.statementsSend, { pollingIntervalSeconds: 2, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) {
        const target = parseStatementTarget(job.data);
        try {
          const outcome = await sendDueStatements(target, { signal: stopping.signal });
          if (outcome.sent + outcome.retrying + outcome.failed > 0) logInfo("statements.send", outcome);
        } catch (error) {
          logFailure("statements.send", error);
          throw error;
        }
      }
    });
  }

  return {
    async stop() {
      // Finish the message in hand, give back the rest, then let pg-boss wait for its handlers.
      stopping.abort();
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
      closeMailTransport();
    },
  };
}
