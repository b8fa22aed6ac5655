// The job queues (pg-boss, in the database's `pgboss` schema) and their settings. Plain module:
// the owner's migration step creates them (db/job-queues.ts), and the runner works them. The
// runtime role can only use queues, never create them (creating one creates a table).

export const JOB_SCHEMA = "pgboss";

export const QUEUES = {
  /** Every minute, once across all instances: closes the period just ended, wakes due deliveries. */
  statementsTick: "statements.tick",
  /** Sends the due statements of one billing group and period. */
  statementsSend: "statements.send",
  /** Every minute, once across all instances: judges forecasts, wakes undispatched events and due deliveries (R40). */
  eventsTick: "events.tick",
  /** Fans one org's new events out to email and webhook deliveries (R40, R41). */
  eventsDispatch: "events.dispatch",
  /** Sends one org's due event deliveries (alert emails, webhooks). */
  eventsDeliver: "events.deliver",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

// `short`: at most one *waiting* job per key, so a wake-up sent while one waits is dropped (the one
// waiting will see the work), and one sent while a job for the key runs is kept for what arrived
// meanwhile. Not `stately` (one waiting and one running per key): in pg-boss 10 a fetch that picks
// the oldest waiting job while its key's job still runs fails on the unique index, and pg-boss
// swallows the error, so the queue hands out nothing (every org waits) until that run ends or a
// concurrent fetch happens to skip past the row (timgit/pg-boss#535). Two jobs for one key may
// therefore run at once; every handler is safe under that (rows are claimed with `FOR UPDATE SKIP
// LOCKED` leases and unique keys), and the runner folds a second delivery job for an org it is
// already delivering to into the running one (lib/jobs/runner.ts).
// Retries here only cover a worker that failed mid-job; the deliveries keep their own schedule.
export type QueueOptions = { policy: "short"; retryLimit: number; expireInSeconds: number };
export const QUEUE_OPTIONS: Record<QueueName, QueueOptions> = {
  [QUEUES.statementsTick]: { policy: "short", retryLimit: 0, expireInSeconds: 5 * 60 },
  [QUEUES.statementsSend]: { policy: "short", retryLimit: 3, expireInSeconds: 30 * 60 },
  [QUEUES.eventsTick]: { policy: "short", retryLimit: 0, expireInSeconds: 5 * 60 },
  [QUEUES.eventsDispatch]: { policy: "short", retryLimit: 3, expireInSeconds: 5 * 60 },
  [QUEUES.eventsDeliver]: { policy: "short", retryLimit: 3, expireInSeconds: 30 * 60 },
};

/** The period-close check runs every minute (UTC), as one job across every instance. */
export const SCHEDULES = [
  { queue: QUEUES.statementsTick, cron: "* * * * *" },
  { queue: QUEUES.eventsTick, cron: "* * * * *" },
] as const;
