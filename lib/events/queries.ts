import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import type { DeliveryChannel, EventDeliveryStatus, EventType } from "@/db/schema/events";
import { afterFailedAttempt, leaseUntil } from "@/lib/deliveries/rules";

// R40/R41: the events outbox and its deliveries. Every write takes the caller's executor (a
// `withOrg` transaction: RLS checks the org); instants come from lib/clock.ts, passed in, and go
// in as ISO strings (postgres.js binds no Date in a raw query).

/**
 * Fans out the org's undispatched events, in the caller's transaction: locks them (rows another
 * dispatcher holds are skipped, not waited for), writes one delivery per recipient of the event's
 * billing group (when `email`) and per enabled endpoint subscribed to its type, then marks them
 * dispatched. The unique key of deliveries makes a second fan-out of one event write nothing.
 * `ping` is never fanned out: Send Test Event writes it dispatched, with its one delivery.
 */
export async function fanOutEvents(
  tx: Executor,
  params: { orgId: string; email: boolean; now: Date },
): Promise<{ events: number; deliveries: number }> {
  const at = params.now.toISOString();
  const rows = await tx.execute<{ events: number; deliveries: number }>(sql`
    with due as (
      select id, type, billing_group_id from events
      where org_id = ${params.orgId} and dispatched_at is null and type <> 'ping'
      order by created_at, id
      for update skip locked
    ), emails as (
      insert into event_deliveries
        (org_id, event_id, channel, email, status, next_attempt_at, window_started_at, created_at, updated_at)
      select ${params.orgId}, due.id, 'email', r.email, 'queued', ${at}, ${at}, ${at}, ${at}
      from due join billing_group_recipients r on r.org_id = ${params.orgId} and r.billing_group_id = due.billing_group_id
      where ${params.email}::boolean
      on conflict on constraint event_deliveries_once_key do nothing
      returning 1
    ), hooks as (
      insert into event_deliveries
        (org_id, event_id, channel, endpoint_id, status, next_attempt_at, window_started_at, created_at, updated_at)
      select ${params.orgId}, due.id, 'webhook', w.id, 'queued', ${at}, ${at}, ${at}, ${at}
      from due join webhook_endpoints w on w.org_id = ${params.orgId} and w.disabled_at is null
        and due.type = any(w.event_types)
      on conflict on constraint event_deliveries_once_key do nothing
      returning 1
    ), marked as (
      update events e set dispatched_at = ${at}
      from due where e.org_id = ${params.orgId} and e.id = due.id
      returning 1
    )
    select (select count(*) from marked)::int as events,
           ((select count(*) from emails) + (select count(*) from hooks))::int as deliveries`);
  const row = rows[0];
  return { events: Number(row?.events ?? 0), deliveries: Number(row?.deliveries ?? 0) };
}

/** A claimed delivery with what sending it needs: its event, and its endpoint for a webhook. */
export type ClaimedDelivery = {
  id: string;
  channel: DeliveryChannel;
  email: string | null;
  attempts: number;
  windowStartedAt: Date;
  event: { id: string; type: EventType; createdAt: Date; data: Record<string, unknown> };
  endpoint: { id: string; url: string; secretCiphertext: string; disabled: boolean } | null;
};

/**
 * Takes up to `limit` due deliveries of the org for this worker: queued ones, and retrying ones
 * whose time has come, none that another worker holds (rows another transaction is claiming are
 * skipped). The lease lets a worker that dies mid-send be replaced.
 */
export async function claimDueEventDeliveries(
  tx: Executor,
  params: { orgId: string; now: Date; limit: number },
): Promise<ClaimedDelivery[]> {
  const at = params.now.toISOString();
  const rows = await tx.execute<{
    id: string;
    channel: DeliveryChannel;
    email: string | null;
    attempts: number;
    window_started_at: Date | string;
    event_id: string;
    type: EventType;
    event_created_at: Date | string;
    data: Record<string, unknown>;
    endpoint_id: string | null;
    url: string | null;
    secret_ciphertext: string | null;
    disabled_at: Date | string | null;
  }>(sql`
    with due as (
      select id from event_deliveries
      where org_id = ${params.orgId}
        and (status = 'queued' or (status = 'retrying' and next_attempt_at <= ${at}))
        and (lease_until is null or lease_until <= ${at})
      order by next_attempt_at, id
      limit ${params.limit}
      for update skip locked
    ), claimed as (
      update event_deliveries d set lease_until = ${leaseUntil(params.now).toISOString()}, updated_at = ${at}
      from due where d.org_id = ${params.orgId} and d.id = due.id
      returning d.id, d.channel, d.email, d.attempts, d.window_started_at, d.event_id, d.endpoint_id, d.next_attempt_at
    )
    select c.id, c.channel, c.email, c.attempts, c.window_started_at, e.id as event_id, e.type,
           e.created_at as event_created_at, e.data, w.id as endpoint_id, w.url, w.secret_ciphertext, w.disabled_at
    from claimed c
    join events e on e.org_id = ${params.orgId} and e.id = c.event_id
    left join webhook_endpoints w on w.org_id = ${params.orgId} and w.id = c.endpoint_id
    order by c.next_attempt_at, c.id`);
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    email: row.email,
    attempts: Number(row.attempts),
    windowStartedAt: new Date(row.window_started_at),
    event: { id: row.event_id, type: row.type, createdAt: new Date(row.event_created_at), data: row.data },
    endpoint:
      row.endpoint_id === null
        ? null
        : {
            id: row.endpoint_id,
            url: row.url ?? "",
            secretCiphertext: row.secret_ciphertext ?? "",
            disabled: row.disabled_at !== null,
          },
  }));
}

export type AttemptRecord = {
  /** A 2xx answer (webhook) or the SMTP server taking the message (email). */
  ok: boolean;
  statusCode: number | null;
  /** Why it failed, without secrets; null on success. */
  error: string | null;
  durationMs: number;
};

/**
 * Records one attempt of a claimed delivery and its outcome: `succeeded`, or `retrying` with
 * backoff, or `failed` once 24 hours have passed since its window opened. Releases the claim.
 */
export async function recordDeliveryAttempt(
  tx: Executor,
  params: { orgId: string; delivery: ClaimedDelivery; attempt: AttemptRecord; now: Date },
): Promise<EventDeliveryStatus> {
  const { delivery, attempt } = params;
  const at = params.now.toISOString();
  const number = delivery.attempts + 1;
  const error = attempt.ok ? null : (attempt.error ?? "Delivery failed").slice(0, 1000);
  await tx.execute(sql`
    insert into event_delivery_attempts (org_id, delivery_id, attempt, status_code, error, duration_ms, attempted_at)
    values (${params.orgId}, ${delivery.id}, ${number}, ${attempt.statusCode}, ${error}, ${attempt.durationMs}, ${at})`);
  if (attempt.ok) {
    await tx.execute(sql`
      update event_deliveries
      set status = 'succeeded', attempts = ${number}, last_status_code = ${attempt.statusCode}, last_error = null,
          delivered_at = ${at}, lease_until = null, updated_at = ${at}
      where org_id = ${params.orgId} and id = ${delivery.id}`);
    return "succeeded";
  }
  const next = afterFailedAttempt({ queuedAt: delivery.windowStartedAt, failedAttempts: number, now: params.now });
  await tx.execute(sql`
    update event_deliveries
    set status = ${next.status}, attempts = ${number}, last_status_code = ${attempt.statusCode}, last_error = ${error},
        next_attempt_at = ${(next.status === "retrying" ? next.retryAt : params.now).toISOString()},
        lease_until = null, updated_at = ${at}
    where org_id = ${params.orgId} and id = ${delivery.id}`);
  return next.status;
}

/**
 * A delivery that can no longer be made (its endpoint was disabled after the event was fanned
 * out): `failed` at once, with the reason, and no attempt counted — nothing was sent.
 */
export async function abandonDelivery(
  tx: Executor,
  params: { orgId: string; id: string; reason: string; now: Date },
): Promise<void> {
  await tx.execute(sql`
    update event_deliveries
    set status = 'failed', last_error = ${params.reason}, lease_until = null, updated_at = ${params.now.toISOString()}
    where org_id = ${params.orgId} and id = ${params.id}`);
}

/** Orgs with events not yet fanned out, across orgs (a narrow definer function). */
export async function orgsWithUndispatchedEvents(db: Executor): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`select ledgerline_orgs_with_undispatched_events() as id`);
  return rows.map((row) => row.id);
}

/** Orgs with event deliveries due at `now` and not held by a worker, across orgs. */
export async function orgsWithEventDeliveriesDue(db: Executor, now: Date): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(
    sql`select ledgerline_orgs_with_event_deliveries_due(${now.toISOString()}) as id`,
  );
  return rows.map((row) => row.id);
}
