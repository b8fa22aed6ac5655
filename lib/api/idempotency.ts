import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { apiIdempotencyRecords } from "@/db/schema";
import { DomainError } from "@/lib/errors";

// R44: the stored side of `Idempotency-Key` (rules in ./idempotency-rules.ts). The record is
// written in the transaction of the change it answers for, so it exists exactly when the change
// committed; a failed request (a 4xx, a crash) leaves nothing and may be retried with the same key.

export type IdempotencyClaim = {
  apiKeyId: string;
  key: string;
  /** `POST /api/v1/billing-groups`: a key answers for one operation only. */
  operation: string;
  requestHash: string;
  /** The status the first answer went out with (201 for a create, 200 otherwise), kept with it. */
  status: number;
};

export class IdempotencyConflictError extends DomainError {
  constructor() {
    super(
      "idempotency_conflict",
      "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
    );
  }
}

/**
 * Runs `work` once per claim: a repeat of an answered claim gets the first answer back (JSON as
 * stored) without running `work`. Concurrent repeats serialize on a transaction-scoped advisory
 * lock of the claim, so the second waits for the first to commit and then replays it.
 */
export async function answerOnce<T>(
  tx: Transaction,
  orgId: string,
  claim: IdempotencyClaim | null,
  work: () => Promise<T>,
): Promise<{ value: T; replayed: boolean }> {
  if (!claim) return { value: await work(), replayed: false };
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`${orgId}/${claim.apiKeyId}/${claim.key}`}, 7044))`,
  );
  const [prior] = await tx
    .select({
      operation: apiIdempotencyRecords.operation,
      requestHash: apiIdempotencyRecords.requestHash,
      response: apiIdempotencyRecords.response,
    })
    .from(apiIdempotencyRecords)
    .where(
      and(
        eq(apiIdempotencyRecords.orgId, orgId),
        eq(apiIdempotencyRecords.apiKeyId, claim.apiKeyId),
        eq(apiIdempotencyRecords.key, claim.key),
      ),
    );
  if (prior) {
    if (prior.operation !== claim.operation || prior.requestHash !== claim.requestHash)
      throw new IdempotencyConflictError();
    return { value: prior.response as T, replayed: true };
  }
  const value = await work();
  await tx.insert(apiIdempotencyRecords).values({
    orgId,
    apiKeyId: claim.apiKeyId,
    key: claim.key,
    operation: claim.operation,
    requestHash: claim.requestHash,
    status: claim.status,
    response: JSON.parse(JSON.stringify(value)) as unknown,
  });
  return { value, replayed: false };
}
