import "server-only";
import { queueJob } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";

/**
 * R40: after a transaction that wrote alert events has committed, wake the org's dispatcher
 * (one job per org at a time: the queue is stately on the org id). Never throws, and never runs
 * before the commit: a job that ran first would find nothing, and the minute's sweep is the
 * backstop if the queue cannot be reached now.
 */
export async function wakeEventDispatch(orgId: string, events: number): Promise<void> {
  if (events > 0) await queueJob(QUEUES.eventsDispatch, { orgId }, orgId);
}
