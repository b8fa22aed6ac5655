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

// `stately`: at most one waiting and one running job per key, so a wake-up sent while one is
// already waiting is dropped, and one sent while it runs is kept for what arrived meanwhile.
// Retries here only cover a worker that failed mid-job; the deliveries keep their own schedule.
export const QUEUE_OPTIONS: Record<QueueName, { policy: "stately"; retryLimit: number; expireInSeconds: number }> = {
  [QUEUES.statementsTick]: { policy: "stately", retryLimit: 0, expireInSeconds: 5 * 60 },
  [QUEUES.statementsSend]: { policy: "stately", retryLimit: 3, expireInSeconds: 30 * 60 },
  [QUEUES.eventsTick]: { policy: "stately", retryLimit: 0, expireInSeconds: 5 * 60 },
  [QUEUES.eventsDispatch]: { policy: "stately", retryLimit: 3, expireInSeconds: 5 * 60 },
  [QUEUES.eventsDeliver]: { policy: "stately", retryLimit: 3, expireInSeconds: 30 * 60 },
};

/** The period-close check runs every minute (UTC), as one job across every instance. */
export const SCHEDULES = [
  { queue: QUEUES.statementsTick, cron: "* * * * *" },
  { queue: QUEUES.eventsTick, cron: "* * * * *" },
] as const;
