import "server-only";

// The metering API's access layer (R30, R31): an API key's events, judged by the database. The
// org is always the key's: the principal's for a batch, or the key's own, resolved in the same
// round trip as the event, for a single event (issue 8). And My usage (issue 18): a signed-in
// member's own figures.
import { withOrg } from "@/db";
import { hashApiKey } from "@/lib/api-keys/rules";
import { type Principal, requireApiKey, requireMemberRole } from "@/lib/auth/principal";
import { EVERY_ROLE } from "@/lib/auth/roles";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { getOwnPeriodUsage, type OwnPeriodUsage } from "./queries";
import { usageRequestHash } from "./rules";
import { describeIssues, usageEventSchema, type UsageEventInput } from "./schemas";
import {
  type ApiErrorBody,
  type IngestedWithKey,
  recordUsageBatch,
  recordUsageWithApiKey,
  type UsageOutcome,
} from "./service";

export { MEMBER_NOT_FOUND } from "./service";

/** What the metering API decided about one event; lib/api/http.ts gives each kind its HTTP status. */
export type IngestOutcome = UsageOutcome | { kind: "invalid_body"; body: ApiErrorBody };

export type ParsedUsageEvent = { ok: true; event: UsageEventInput } | { ok: false; outcome: IngestOutcome };

/** R30: the body of one usage event, or the outcome that refuses it. */
export function parseUsageEvent(raw: unknown): ParsedUsageEvent {
  const parsed = usageEventSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      outcome: { kind: "invalid_body", body: { error: "invalid_body", message: describeIssues(parsed.error) } },
    };
  return { ok: true, event: parsed.data };
}

/**
 * R31: a batch as `POST /api/v1/usage/batch` judges it, answered per event in request order. Each
 * event is validated alone (a malformed one is its own 400); the valid ones are recorded in one
 * database round trip (issue 19), each judged as if sent alone, in order.
 */
export async function ingestUsageBatch(principal: Principal, raw: unknown[]): Promise<IngestOutcome[]> {
  const key = requireApiKey(principal, "usage");
  const parsed = raw.map(parseUsageEvent);
  const valid = parsed.flatMap((p) => (p.ok ? [p.event] : []));
  const recorded = await recordUsageBatch({
    orgId: key.orgId,
    apiKeyId: key.apiKeyId,
    events: valid.map((event) => ({
      member: event.member,
      credits: event.credits,
      idempotencyKey: event.idempotencyKey,
      requestHash: usageRequestHash(event),
    })),
  });
  let next = 0;
  return parsed.map((p) => (p.ok ? recorded[next++]! : p.outcome));
}

/**
 * A valid event with the request's API key, checked in the same database round trip as the event
 * is recorded: an unknown or revoked key (401) and a key without the `usage` scope (403, R44)
 * record nothing.
 */
export async function ingestUsageEventWithApiKey(secret: string, event: UsageEventInput): Promise<IngestedWithKey> {
  return recordUsageWithApiKey({
    keyHash: hashApiKey(secret),
    member: event.member,
    credits: event.credits,
    idempotencyKey: event.idempotencyKey,
    requestHash: usageRequestHash(event),
  });
}

/**
 * My usage (issue 18): the signed-in member's own usage and applying limit for the current period.
 * Any role may ask, but only about themselves: org and member id come from the principal (read
 * from the database by the guard), never from the request. An API key is refused: it has no self.
 */
export async function getMyUsage(principal: Principal): Promise<OwnPeriodUsage | null> {
  const { orgId, member } = requireMemberRole(principal, EVERY_ROLE);
  const period = periodOf(now());
  return withOrg(orgId, (tx) => getOwnPeriodUsage(tx, { orgId, memberId: member.id, period }));
}
