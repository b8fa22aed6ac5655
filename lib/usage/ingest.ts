import "server-only";
import type { AuthenticatedKey } from "@/lib/api-keys/queries";
import { hashApiKey } from "@/lib/api-keys/rules";
import { usageRequestHash } from "./rules";
import { describeIssues, usageEventSchema, type UsageEventInput } from "./schemas";
import { OUTCOME_STATUS, recordUsage, recordUsageWithApiKey } from "./service";

export type IngestResult = { status: number; body: unknown };

export type ParsedUsageEvent = { ok: true; event: UsageEventInput } | { ok: false; result: IngestResult };

/** R30: the body of one usage event, or the 400 that refuses it. */
export function parseUsageEvent(raw: unknown): ParsedUsageEvent {
  const parsed = usageEventSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      result: { status: 400, body: { error: "invalid_body", message: describeIssues(parsed.error) } },
    };
  return { ok: true, event: parsed.data };
}

/** One event as `POST /api/v1/usage` judges it, for an authenticated key: validation, then `recordUsage` (R30). */
export async function ingestUsageEvent(key: AuthenticatedKey, raw: unknown): Promise<IngestResult> {
  const parsed = parseUsageEvent(raw);
  if (!parsed.ok) return parsed.result;
  const { event } = parsed;
  const outcome = await recordUsage({
    orgId: key.orgId,
    apiKeyId: key.apiKeyId,
    member: event.member,
    credits: event.credits,
    idempotencyKey: event.idempotencyKey,
    requestHash: usageRequestHash(event),
  });
  return { status: OUTCOME_STATUS[outcome.kind], body: outcome.body };
}

/**
 * A valid event with the request's API key, checked in the same database round trip as the event
 * is recorded. `null` when the key is unknown or revoked (401).
 */
export async function ingestUsageEventWithApiKey(
  secret: string,
  event: UsageEventInput,
): Promise<{ key: AuthenticatedKey; result: IngestResult } | null> {
  const recorded = await recordUsageWithApiKey({
    keyHash: hashApiKey(secret),
    member: event.member,
    credits: event.credits,
    idempotencyKey: event.idempotencyKey,
    requestHash: usageRequestHash(event),
  });
  if (!recorded) return null;
  return { key: recorded.key, result: { status: OUTCOME_STATUS[recorded.outcome.kind], body: recorded.outcome.body } };
}
