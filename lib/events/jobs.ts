import { isUuid } from "@/lib/ids";

// The data of an events.dispatch or events.deliver job: `{ orgId }`, at most one waiting job per
// org (the queues are `short`, keyed by the org id).

/** A job's data, checked: jobs are data from the database, not from a trusted caller. */
export function parseOrgJob(data: unknown): string {
  const orgId = (data as { orgId?: unknown } | null)?.orgId;
  if (typeof orgId !== "string" || !isUuid(orgId)) throw new Error("events job without a valid orgId");
  return orgId;
}
