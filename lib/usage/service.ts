import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { withOrg, type Transaction } from "@/db";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { figures, isUuid, REJECTION_MESSAGES, UNASSIGNED_ID, type Figures, type RejectionCode } from "./rules";
import { formatCredits } from "@/lib/credits/rules";

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

export type AcceptedUsage = {
  eventId: string;
  period: string;
  recordedAt: string;
  member: { id: string; email: string };
  credits: string;
  billingGroup: { id: string; name: string };
  personal: Figures;
  group: Figures;
};

export type ApiErrorBody = { error: string; message: string };

export type UsageOutcome =
  | { kind: "accepted"; body: AcceptedUsage }
  | { kind: "replayed"; body: AcceptedUsage }
  | { kind: "rejected"; body: ApiErrorBody & { error: RejectionCode } }
  | { kind: "member_not_found"; body: ApiErrorBody }
  | { kind: "idempotency_conflict"; body: ApiErrorBody };

/** HTTP status of each outcome (R30). */
export const OUTCOME_STATUS: Record<UsageOutcome["kind"], number> = {
  accepted: 201,
  replayed: 200,
  rejected: 402,
  member_not_found: 404,
  idempotency_conflict: 409,
};

class Rejection extends Error {
  constructor(readonly code: RejectionCode) {
    super(code);
  }
}

class EarlyOutcome extends Error {
  constructor(readonly outcome: UsageOutcome) {
    super(outcome.kind);
  }
}

const MAX_ATTEMPTS = 8;
const RETRYABLE = new Set(["40001", "40P01"]);

/**
 * R20/R30: records one usage event, or nothing. One transaction does, in a fixed lock order
 * (member row → member_period_usage → group_period_usage, so it cannot deadlock with itself):
 * the idempotency check, the member lock, both limit checks as conditional upserts that only
 * apply when the total stays within the limit, the event, the member × group rollup and the
 * idempotency record. Any rejection rolls the whole transaction back.
 *
 * Concurrent requests with one idempotency key: the loser hits the key's primary key on commit,
 * and the retry finds the winner's record and replays it (or reports the conflict).
 */
export async function recordUsage(input: RecordUsageInput): Promise<UsageOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withOrg(input.orgId, (tx) => recordUsageOnce(tx, input));
    } catch (error) {
      if (error instanceof Rejection) {
        return { kind: "rejected", body: { error: error.code, message: REJECTION_MESSAGES[error.code] } };
      }
      if (error instanceof EarlyOutcome) return error.outcome;
      const code = pgErrorCode(error);
      const retry = (code === "23505" && pgConstraint(error) === "idempotency_records_org_id_key_pk") || (code !== null && RETRYABLE.has(code));
      if (retry && attempt < MAX_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        continue;
      }
      throw error;
    }
  }
}

type LockedMember = {
  id: string;
  email: string;
  personal_limit: bigint | null;
  billing_group_id: string | null;
  group_name: string | null;
  group_limit: bigint | null;
};

async function recordUsageOnce(tx: Transaction, input: RecordUsageInput): Promise<UsageOutcome> {
  const { orgId, credits } = input;

  const previous = await tx.execute<{ request_hash: string; response: AcceptedUsage }>(sql`
    select request_hash, response from idempotency_records where org_id = ${orgId} and key = ${input.idempotencyKey}`);
  if (previous[0]) return replayOrConflict(previous[0], input.requestHash);

  // The member row lock serializes this member's events; READ COMMITTED then re-reads the row, so
  // a concurrent reassignment or billing group delete is seen before attribution (R21, R38).
  const memberMatch = isUuid(input.member) ? sql`m.id = ${input.member.toLowerCase()}::uuid` : sql`lower(m.email) = lower(${input.member})`;
  const locked = await tx.execute<LockedMember>(sql`
    select m.id, m.email, m.personal_limit, m.billing_group_id, bg.name as group_name, bg.period_limit as group_limit
    from members m
    left join billing_groups bg on bg.org_id = m.org_id and bg.id = m.billing_group_id
    where m.org_id = ${orgId} and ${memberMatch} and m.deactivated_at is null
    for update of m`);
  const member = locked[0];
  if (!member) {
    throw new EarlyOutcome({ kind: "member_not_found", body: { error: "member_not_found", message: "No active member with that email or id in this organization." } });
  }

  const personalLimit = member.personal_limit === null ? null : BigInt(member.personal_limit);
  if (personalLimit === null || personalLimit <= 0n) throw new Rejection("personal_limit_not_configured");
  if (credits > personalLimit) throw new Rejection("personal_limit_reached");

  const period = periodOf(now());
  const personal = await tx.execute<{ credits: bigint }>(sql`
    insert into member_period_usage as u (org_id, member_id, period, credits)
    values (${orgId}, ${member.id}, ${period}, ${credits})
    on conflict (org_id, member_id, period) do update set credits = u.credits + excluded.credits
      where u.credits + excluded.credits <= ${personalLimit}
    returning credits`);
  if (!personal[0]) throw new Rejection("personal_limit_reached");

  const groupId = member.billing_group_id;
  const groupLimit = groupId !== null && member.group_limit !== null ? BigInt(member.group_limit) : null;
  if (groupLimit !== null && credits > groupLimit) throw new Rejection("group_limit_reached");
  const group = await tx.execute<{ credits: bigint }>(sql`
    insert into group_period_usage as g (org_id, period, billing_group_id, credits)
    values (${orgId}, ${period}, ${groupId}, ${credits})
    on conflict on constraint group_period_usage_key do update set credits = g.credits + excluded.credits
      ${groupLimit === null ? sql`` : sql`where g.credits + excluded.credits <= ${groupLimit}`}
    returning credits`);
  if (!group[0]) throw new Rejection("group_limit_reached");

  const eventId = randomUUID();
  const recordedAt = now();
  const body: AcceptedUsage = {
    eventId,
    period,
    recordedAt: recordedAt.toISOString(),
    member: { id: member.id, email: member.email },
    credits: formatCredits(credits),
    billingGroup: groupId === null ? { id: UNASSIGNED_ID, name: "Unassigned" } : { id: groupId, name: member.group_name ?? "" },
    personal: figures(BigInt(personal[0].credits), personalLimit),
    group: figures(BigInt(group[0].credits), groupLimit),
  };

  // One statement for the event, its member × group × period rollup and the idempotency record.
  await tx.execute(sql`
    with event as (
      insert into usage_events (org_id, id, member_id, billing_group_id, period, credits, api_key_id, recorded_at)
      values (${orgId}, ${eventId}, ${member.id}, ${groupId}, ${period}, ${credits}, ${input.apiKeyId}, ${recordedAt.toISOString()})
      returning id
    ), rollup as (
      insert into member_group_period_usage as r (org_id, period, member_id, billing_group_id, credits, event_count)
      values (${orgId}, ${period}, ${member.id}, ${groupId}, ${credits}, 1)
      on conflict on constraint member_group_period_usage_key
        do update set credits = r.credits + excluded.credits, event_count = r.event_count + 1
    )
    insert into idempotency_records (org_id, key, request_hash, event_id, response)
    select ${orgId}, ${input.idempotencyKey}, ${input.requestHash}, event.id, ${JSON.stringify(body)}::jsonb
    from event`);

  return { kind: "accepted", body };
}

function replayOrConflict(record: { request_hash: string; response: AcceptedUsage }, requestHash: string): UsageOutcome {
  if (record.request_hash === requestHash) return { kind: "replayed", body: record.response };
  return {
    kind: "idempotency_conflict",
    body: { error: "idempotency_conflict", message: "This idempotencyKey was already used for a different event." },
  };
}

function pgField(error: unknown, field: "code" | "constraint_name"): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const value = (current as Record<string, unknown>)[field];
    if (typeof value === "string") return value;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function pgErrorCode(error: unknown): string | null {
  return pgField(error, "code");
}

function pgConstraint(error: unknown): string | null {
  return pgField(error, "constraint_name");
}
