import "server-only";
import type { AuthenticatedKey } from "@/lib/api-keys/queries";
import { usageRequestHash } from "./rules";
import { describeIssues, usageEventSchema } from "./schemas";
import { OUTCOME_STATUS, recordUsage } from "./service";

export type IngestResult = { status: number; body: unknown };

/** One event as `POST /api/v1/usage` judges it: validation, then `recordUsage` (R30). */
export async function ingestUsageEvent(key: AuthenticatedKey, raw: unknown): Promise<IngestResult> {
  const parsed = usageEventSchema.safeParse(raw);
  if (!parsed.success) return { status: 400, body: { error: "invalid_body", message: describeIssues(parsed.error) } };
  const event = parsed.data;
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
