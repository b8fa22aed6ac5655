import "server-only";
import { queueJob } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";

// The web server's wake-ups for the event jobs (R40, R41), at most one waiting per org (the
// queues are `short` on the org id; lib/events/jobs.ts reads the data back). Each runs after the commit that
// made the work: a job that ran first would find nothing. Never throws: the minute's events.tick
// sweep is the backstop when the queue cannot be reached now.

/** After a transaction that wrote alert events: fan them out. */
export async function wakeEventDispatch(orgId: string, events: number): Promise<void> {
  if (events > 0) await queueJob(QUEUES.eventsDispatch, { orgId }, orgId);
}

/** After deliveries were queued directly (Resend, Send Test Event): send them. */
export async function wakeEventDelivery(orgId: string): Promise<void> {
  await queueJob(QUEUES.eventsDeliver, { orgId }, orgId);
}
