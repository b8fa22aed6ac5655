import "server-only";
import { type OrgDeliveryRun, startOrgDelivery } from "@/lib/events/deliver";
import { dispatchOrgEvents } from "@/lib/events/dispatch";
import { parseOrgJob } from "@/lib/events/jobs";
import { runEventsTick } from "@/lib/events/tick";
import { logFailure, logInfo } from "@/lib/log";
import { closeMailTransport } from "@/lib/mail/transport";
import { parseStatementTarget, statementSendKey } from "@/lib/statements/jobs";
import { runStatementTick } from "@/lib/statements/period-close";
import { sendDueStatements, type StatementTarget } from "@/lib/statements/sender";
import { runForecastCheck } from "@/lib/alerts/forecast";
import { createBoss } from "./boss";
import { type QueueName, QUEUES } from "./queues";

// The background worker (`npm run worker`, and beside the web server under `npm start`): works the
// queues of lib/jobs/queues.ts. Any number of workers may run on one database: pg-boss hands each
// job to one of them, its cron fires the minute's tick once across all of them, and the effects
// are made once by the database (lib/statements/queries.ts), whoever runs them.

/** Statement sends worked at once per worker (each holds one SMTP conversation at a time). */
const SEND_CONCURRENCY = 2;
/** Orgs whose event deliveries are worked at once per worker (each sends several at a time). */
const DELIVER_CONCURRENCY = 4;
/** Orgs whose new events are fanned out at once per worker (each a short transaction). */
const DISPATCH_CONCURRENCY = 2;

export type JobRunner = { stop(): Promise<void> };

export type JobRunnerOptions = {
  /** The webhook timeout (tests lengthen it to hold a delivery open); R41's 10 seconds by default. */
  webhookTimeoutMs?: number;
};

export async function startJobRunner(options: JobRunnerOptions = {}): Promise<JobRunner> {
  const boss = createBoss("runner");
  await boss.start();
  const stopping = new AbortController();

  /**
   * Works `queue` on `workers` handlers at once, one job each: `handle` returns what to log (or
   * null for nothing worth a line); a failure is logged and rethrown, so pg-boss retries the job.
   */
  const work = async (queue: QueueName, workers: number, handle: (data: unknown) => Promise<object | null>) => {
    for (let i = 0; i < workers; i++) {
      await boss.work(queue, { pollingIntervalSeconds: 2, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) {
          try {
            const logged = await handle(job.data);
            if (logged) logInfo(queue, logged);
          } catch (error) {
            logFailure(queue, error);
            throw error;
          }
        }
      });
    }
  };
  const worthLogging = <T extends object>(outcome: T, counts: number[]): T | null =>
    counts.some((count) => count > 0) ? outcome : null;

  const wake = async (target: StatementTarget) => {
    await boss.send(QUEUES.statementsSend, target, { singletonKey: statementSendKey(target) });
  };
  await work(QUEUES.statementsTick, 1, async () => {
    const outcome = await runStatementTick({ wake });
    return worthLogging(outcome, [outcome.closedOrgs, outcome.woken]);
  });
  await work(QUEUES.statementsSend, SEND_CONCURRENCY, async (data) => {
    const outcome = await sendDueStatements(parseStatementTarget(data), { signal: stopping.signal });
    return worthLogging(outcome, [outcome.sent, outcome.retrying, outcome.failed]);
  });

  // R40/R41: the events outbox. Dispatch fans an org's new events out and wakes its delivery at
  // once, so an alert goes out within seconds; the minute's tick catches anything a wake-up missed.
  const wakeDispatch = async (orgId: string) => {
    await boss.send(QUEUES.eventsDispatch, { orgId }, { singletonKey: orgId });
  };
  // One delivery run per org in this process: a wake-up for an org already being delivered to
  // here sends that run's idle slots back to claim (at once, even while another slot waits on a
  // hanging endpoint) instead of taking a second worker, which stays free for other orgs.
  const deliveringOrgs = new Map<string, OrgDeliveryRun>();
  const wakeDeliver = async (orgId: string) => {
    if (deliveringOrgs.get(orgId)?.wake()) return;
    await boss.send(QUEUES.eventsDeliver, { orgId }, { singletonKey: orgId });
  };
  await work(QUEUES.eventsTick, 1, async () => {
    const outcome = await runEventsTick({
      wakeDispatch,
      wakeDeliver,
      evaluateForecasts: runForecastCheck,
    });
    return worthLogging(outcome, [outcome.forecastsFired, outcome.dispatchWoken, outcome.deliverWoken]);
  });
  await work(QUEUES.eventsDispatch, DISPATCH_CONCURRENCY, async (data) => {
    const orgId = parseOrgJob(data);
    const outcome = await dispatchOrgEvents(orgId);
    if (outcome.deliveries > 0) await wakeDeliver(orgId);
    return worthLogging(outcome, [outcome.events]);
  });
  await work(QUEUES.eventsDeliver, DELIVER_CONCURRENCY, async (data) => {
    const orgId = parseOrgJob(data);
    if (deliveringOrgs.get(orgId)?.wake()) return null;
    const run = startOrgDelivery(orgId, { signal: stopping.signal, webhookTimeoutMs: options.webhookTimeoutMs });
    deliveringOrgs.set(orgId, run);
    try {
      const outcome = await run.outcome;
      return worthLogging(outcome, [outcome.succeeded, outcome.retrying, outcome.failed]);
    } finally {
      if (deliveringOrgs.get(orgId) === run) deliveringOrgs.delete(orgId);
    }
  });

  return {
    async stop() {
      // Finish the message in hand, give back the rest, then let pg-boss wait for its handlers.
      stopping.abort();
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
      closeMailTransport();
    },
  };
}
