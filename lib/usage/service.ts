import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db";
import { wakeEventDispatch } from "@/lib/events/wake";
import type { AuthenticatedKey } from "@/lib/api-keys/queries";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { isRetryableConflict, isUniqueViolation } from "@/lib/db-errors";
import { isUuid } from "@/lib/ids";
import { REJECTION_MESSAGES, type Figures, type PersonalFigures, type RejectionCode } from "./rules";

export type RecordUsageInput = {
  orgId: string;
  apiKeyId: string | null;
  /** Email (case-insensitive) or member id. */
  member: string;
  /** Hundredths, > 0 (validated by the caller's schema). */
  credits: bigint;
  idempotencyKey: string;
  /** `usageRequestHash` of the request, to tell a replay from a conflicting reuse of the key. */
  requestHash: string;
};

/** One event as the client sent it, without the org and key it is recorded for. */
type EventFields = Omit<RecordUsageInput, "orgId" | "apiKeyId">;

export type AcceptedUsage = {
  eventId: string;
  period: string;
  recordedAt: string;
  member: { id: string; email: string };
  credits: string;
  billingGroup: { id: string; name: string };
  /**
   * With `limitSource` (R42) on every event accepted since migration 0013; a replay (R30) returns
   * the body as it was first recorded, so an event accepted before that has none.
   */
  personal: Figures & { limitSource?: PersonalFigures["limitSource"] };
  group: Figures;
};

export type ApiErrorBody = { error: string; message: string };

/** R30, R32: an unknown or deactivated member, as every metering endpoint reports it. */
export const MEMBER_NOT_FOUND: ApiErrorBody = {
  error: "member_not_found",
  message: "No active member with that email or id in this organization.",
};

export type UsageOutcome =
  | { kind: "accepted"; body: AcceptedUsage }
  | { kind: "replayed"; body: AcceptedUsage }
  | { kind: "rejected"; body: ApiErrorBody & { error: RejectionCode } }
  | { kind: "member_not_found"; body: ApiErrorBody }
  | { kind: "idempotency_conflict"; body: ApiErrorBody };

/**
 * What `ledgerline_record_usage` answers (db/migrations/0012_alerts_and_webhooks.sql): an accepted
 * event also says how many alert events it wrote (R40).
 */
type RecordedRow =
  | { outcome: "accepted"; body: AcceptedUsage; events?: number }
  | { outcome: "replayed"; body: AcceptedUsage }
  | { outcome: "rejected"; error: RejectionCode }
  | { outcome: "member_not_found" | "idempotency_conflict" };

/** What `ledgerline_ingest_usage` answers: the key's identity and the event's outcome, or no key. */
type IngestedRow =
  | { outcome: "unauthorized" }
  | { outcome: "insufficient_scope"; orgId: string; apiKeyId: string }
  | { orgId: string; apiKeyId: string; result: RecordedRow };

/** What a single event with its own API key came to: no live key (401), a key without `usage` (403), or the event's outcome. */
export type IngestedWithKey =
  | { kind: "unknown_key" }
  | { kind: "insufficient_scope"; key: AuthenticatedKey }
  | { kind: "recorded"; key: AuthenticatedKey; outcome: UsageOutcome };

const MAX_ATTEMPTS = 8;

/**
 * R20/R30: records one usage event, or nothing, in one statement (so one round trip and its own
 * transaction): the database function `ledgerline_record_usage` does the idempotency check, the
 * member lock, both limit checks, the event, the member × group rollup and the idempotency record,
 * in a fixed lock order. The period and time come from `now()` here, never from the database.
 *
 * Concurrent requests with one idempotency key: the loser hits the key's primary key, and the
 * retry finds the winner's record and replays it (or reports the conflict).
 */
export async function recordUsage(input: RecordUsageInput): Promise<UsageOutcome> {
  const row = (await withRetries(
    (recordedAt) =>
      sql`select ledgerline_record_usage(${input.orgId}::uuid, ${input.apiKeyId}::uuid, ${eventArguments(input, recordedAt)}) as row`,
  )) as RecordedRow;
  await wakeForAlerts(input.orgId, row);
  return toOutcome(row);
}

/**
 * R31 in one round trip (issue 19): the events, in order, to `ledgerline_record_usage_batch`
 * (migration 0020), which locks the batch's members, groups and group usage rows, reads their
 * state once, judges every event in order exactly as `ledgerline_record_usage` would have judged
 * it sent alone, and writes what it accepted with one statement per table. One statement, so one
 * transaction: a lock conflict rolls the whole batch back and `withRetries` runs it again — an
 * event is never half recorded, and a retry with the same idempotency keys is always safe.
 */
export async function recordUsageBatch(input: {
  orgId: string;
  apiKeyId: string | null;
  events: EventFields[];
}): Promise<UsageOutcome[]> {
  if (input.events.length === 0) return [];
  const events = JSON.stringify(
    input.events.map((event) => ({
      ...memberReference(event.member),
      credits: event.credits.toString(),
      idempotencyKey: event.idempotencyKey,
      requestHash: event.requestHash,
    })),
  );
  const rows = (await withRetries(
    (recordedAt) =>
      sql`select ledgerline_record_usage_batch(${input.orgId}::uuid, ${input.apiKeyId}::uuid, ${events}::jsonb,
        ${periodOf(recordedAt)}::text, ${recordedAt.toISOString()}::timestamptz) as row`,
  )) as RecordedRow[];
  const alertEvents = rows.reduce((sum, row) => sum + (row.outcome === "accepted" ? (row.events ?? 0) : 0), 0);
  await wakeEventDispatch(input.orgId, alertEvents);
  return rows.map(toOutcome);
}

/**
 * `recordUsage` for a request that brings its API key: the key is checked in the same round trip,
 * and the org is the key's. `null` when the key is unknown or revoked (R30: 401).
 */
export async function recordUsageWithApiKey(input: EventFields & { keyHash: string }): Promise<IngestedWithKey> {
  const row = (await withRetries(
    (recordedAt) => sql`select ledgerline_ingest_usage(${input.keyHash}, ${eventArguments(input, recordedAt)}) as row`,
  )) as IngestedRow;
  if ("outcome" in row) {
    if (row.outcome === "unauthorized") return { kind: "unknown_key" };
    return { kind: "insufficient_scope", key: { orgId: row.orgId, apiKeyId: row.apiKeyId } };
  }
  await wakeForAlerts(row.orgId, row.result);
  return { kind: "recorded", key: { orgId: row.orgId, apiKeyId: row.apiKeyId }, outcome: toOutcome(row.result) };
}

/** R40: the statement has committed; if it wrote alert events, the dispatcher fans them out. */
function wakeForAlerts(orgId: string, row: RecordedRow): Promise<void> {
  return wakeEventDispatch(orgId, row.outcome === "accepted" ? (row.events ?? 0) : 0);
}

/** Which member an event names: by id (a UUID, lowercased) or by email; the caller decides, not the database. */
function memberReference(member: string): { memberId: string | null; memberEmail: string | null } {
  return isUuid(member)
    ? { memberId: member.toLowerCase(), memberEmail: null }
    : { memberId: null, memberEmail: member };
}

/** The event's arguments of both database functions. */
function eventArguments(input: EventFields, recordedAt: Date): SQL {
  const { memberId, memberEmail } = memberReference(input.member);
  return sql.join(
    [
      sql`${memberId}::uuid`,
      sql`${memberEmail}::text`,
      sql`${input.credits}::bigint`,
      sql`${input.idempotencyKey}::text`,
      sql`${input.requestHash}::text`,
      sql`${periodOf(recordedAt)}::text`,
      sql`${recordedAt.toISOString()}::timestamptz`,
    ],
    sql`, `,
  );
}

/** Runs one recording statement, again on a deadlock, serialization failure or a lost idempotency-key race. */
async function withRetries(statement: (recordedAt: Date) => SQL): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      const rows = await getDb().execute<{ row: unknown }>(statement(now()));
      return rows[0]!.row;
    } catch (error) {
      const retry = isUniqueViolation(error, "idempotency_records_org_id_key_pk") || isRetryableConflict(error);
      if (retry && attempt < MAX_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        continue;
      }
      throw error;
    }
  }
}

function toOutcome(row: RecordedRow): UsageOutcome {
  switch (row.outcome) {
    case "accepted":
    case "replayed":
      return { kind: row.outcome, body: row.body };
    case "rejected":
      return { kind: "rejected", body: { error: row.error, message: REJECTION_MESSAGES[row.error] } };
    case "member_not_found":
      return { kind: "member_not_found", body: MEMBER_NOT_FOUND };
    case "idempotency_conflict":
      return {
        kind: "idempotency_conflict",
        body: { error: "idempotency_conflict", message: "This idempotencyKey was already used for a different event." },
      };
  }
}
