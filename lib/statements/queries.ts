import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import type { StatementDeliveryStatus } from "@/db/schema/statements";
import { releaseClaimedDeliveries } from "@/lib/deliveries/queries";
import { afterFailedAttempt, leaseUntil as leaseEnd } from "@/lib/deliveries/rules";
import { periodEnd, periodStart } from "./rules";

// The statement deliveries table (R39) is the record of what was, and is to be, mailed. Every
// write here takes the caller's executor; the org is always a parameter (and RLS checks it).
// Instants go in as ISO strings: postgres.js binds no Date in a raw query. They come from
// lib/clock.ts (passed in), never from the database's now(), so tests can cross a month boundary.

/** A billing group as statements address it: its id, or null for `Unassigned`. */
export type GroupKey = string | null;

function sameGroup(column: SQL, billingGroupId: GroupKey): SQL {
  return billingGroupId === null ? sql`${column} is null` : sql`${column} = ${billingGroupId}`;
}

export type QueuedDelivery = {
  id: string;
  email: string;
  billingGroupId: GroupKey;
  billingGroupName: string;
  period: string;
  attempts: number;
  createdAt: Date;
};

/**
 * The period close of one org (R39), in the caller's transaction: claims the close (once per org
 * and period: a second instance's insert finds the row and does nothing), then queues one
 * delivery per recipient of every group that existed during the period. Recipients added after
 * the period ended are not part of its close. Returns null when the close was already done.
 */
export async function queuePeriodClose(
  tx: Executor,
  params: { orgId: string; period: string; now: Date },
): Promise<{ deliveries: number } | null> {
  const claimed = await tx.execute(sql`
    insert into statement_period_closes (org_id, period, closed_at, deliveries)
    values (${params.orgId}, ${params.period}, ${params.now.toISOString()}, 0)
    on conflict do nothing
    returning period`);
  if (claimed.length === 0) return null;
  const queued = await tx.execute(sql`
    insert into statement_deliveries
      (org_id, billing_group_id, billing_group_name, period, email, status, next_attempt_at, created_at, updated_at)
    select r.org_id, r.billing_group_id, coalesce(bg.name, 'Unassigned'), ${params.period}, r.email, 'queued',
           ${params.now.toISOString()}, ${params.now.toISOString()}, ${params.now.toISOString()}
    from billing_group_recipients r
    left join billing_groups bg on bg.org_id = r.org_id and bg.id = r.billing_group_id
    where r.org_id = ${params.orgId}
      and r.created_at < ${periodEnd(params.period).toISOString()}
      and (bg.id is null or bg.deleted_at is null or bg.deleted_at >= ${periodStart(params.period).toISOString()})
    on conflict do nothing
    returning id`);
  await tx.execute(sql`
    update statement_period_closes set deliveries = ${queued.length}
    where org_id = ${params.orgId} and period = ${params.period}`);
  return { deliveries: queued.length };
}

/**
 * `Send Statement` (R39): one delivery per current recipient of the group, all under one request
 * id. A recipient whose earlier request for this period is still queued or retrying is not queued
 * twice: that delivery is made due now instead.
 */
export async function queueStatementRequest(
  tx: Executor,
  params: {
    orgId: string;
    billingGroupId: GroupKey;
    billingGroupName: string;
    period: string;
    requestId: string;
    requestedBy: string | null;
    now: Date;
  },
): Promise<number> {
  const hurried = await tx.execute<{ email_key: string }>(sql`
    update statement_deliveries set next_attempt_at = ${params.now.toISOString()}, updated_at = ${params.now.toISOString()}
    where org_id = ${params.orgId} and ${sameGroup(sql`billing_group_id`, params.billingGroupId)}
      and period = ${params.period} and request_id is not null and status in ('queued', 'retrying')
    returning email_key`);
  const pending = hurried.map((row) => row.email_key);
  const queued = await tx.execute(sql`
    insert into statement_deliveries
      (org_id, billing_group_id, billing_group_name, period, email, request_id, requested_by, status,
       next_attempt_at, created_at, updated_at)
    select r.org_id, r.billing_group_id, ${params.billingGroupName}, ${params.period}, r.email, ${params.requestId},
           ${params.requestedBy}, 'queued', ${params.now.toISOString()}, ${params.now.toISOString()}, ${params.now.toISOString()}
    from billing_group_recipients r
    where r.org_id = ${params.orgId} and ${sameGroup(sql`r.billing_group_id`, params.billingGroupId)}
      ${
        pending.length
          ? sql`and r.email_key not in (${sql.join(
              pending.map((key) => sql`${key}`),
              sql`, `,
            )})`
          : sql``
      }
    returning id`);
  return queued.length + pending.length;
}

/**
 * Takes the due deliveries of one group and period for this worker: queued ones at once, retrying
 * ones when their time has come, none that another worker holds. Rows another transaction is
 * claiming are skipped, not waited for. The lease lets a worker that dies mid-send be replaced.
 */
export async function claimDueDeliveries(
  tx: Executor,
  params: { orgId: string; billingGroupId: GroupKey; period: string; now: Date },
): Promise<QueuedDelivery[]> {
  const leaseUntil = leaseEnd(params.now);
  const rows = await tx.execute<{
    id: string;
    email: string;
    billing_group_id: string | null;
    billing_group_name: string;
    period: string;
    attempts: number;
    created_at: Date | string;
  }>(sql`
    with due as (
      select id from statement_deliveries
      where org_id = ${params.orgId} and ${sameGroup(sql`billing_group_id`, params.billingGroupId)}
        and period = ${params.period}
        and (status = 'queued' or (status = 'retrying' and next_attempt_at <= ${params.now.toISOString()}))
        and (lease_until is null or lease_until <= ${params.now.toISOString()})
      order by created_at, id
      for update skip locked
    )
    update statement_deliveries d set lease_until = ${leaseUntil.toISOString()}, updated_at = ${params.now.toISOString()}
    from due where d.org_id = ${params.orgId} and d.id = due.id
    returning d.id, d.email, d.billing_group_id, d.billing_group_name, d.period, d.attempts, d.created_at`);
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    billingGroupId: row.billing_group_id,
    billingGroupName: row.billing_group_name,
    period: row.period,
    attempts: Number(row.attempts),
    createdAt: new Date(row.created_at),
  }));
}

/** The SMTP server took the message: recorded at once, so a crash after this never resends it. */
export async function markDeliverySent(tx: Executor, params: { orgId: string; id: string; now: Date }): Promise<void> {
  await tx.execute(sql`
    update statement_deliveries
    set status = 'sent', attempts = attempts + 1, sent_at = ${params.now.toISOString()}, last_error = null,
        lease_until = null, updated_at = ${params.now.toISOString()}
    where org_id = ${params.orgId} and id = ${params.id}`);
}

/** An attempt failed: retry later with backoff, or give up once the retry window has passed. */
export async function markDeliveryAttemptFailed(
  tx: Executor,
  params: { orgId: string; delivery: QueuedDelivery; error: string; now: Date },
): Promise<StatementDeliveryStatus> {
  const next = afterFailedAttempt({
    queuedAt: params.delivery.createdAt,
    failedAttempts: params.delivery.attempts + 1,
    now: params.now,
  });
  await tx.execute(sql`
    update statement_deliveries
    set status = ${next.status}, attempts = attempts + 1, last_error = ${params.error.slice(0, 1000)},
        next_attempt_at = ${(next.status === "retrying" ? next.retryAt : params.now).toISOString()},
        lease_until = null, updated_at = ${params.now.toISOString()}
    where org_id = ${params.orgId} and id = ${params.delivery.id}`);
  return next.status;
}

/** Gives back deliveries this worker claimed but did not try (it is stopping). */
export function releaseDeliveries(tx: Executor, params: { orgId: string; ids: string[] }): Promise<void> {
  return releaseClaimedDeliveries(tx, { table: "statement_deliveries", ...params });
}

export type DeliveryRow = {
  id: string;
  email: string;
  period: string;
  status: StatementDeliveryStatus;
  attempts: number;
  lastError: string | null;
  requestId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date;
};

/** A group's delivery log, newest first. */
export async function listGroupDeliveries(
  db: Executor,
  params: { orgId: string; billingGroupId: GroupKey; limit: number },
): Promise<DeliveryRow[]> {
  const rows = await db.execute<{
    id: string;
    email: string;
    period: string;
    status: StatementDeliveryStatus;
    attempts: number;
    last_error: string | null;
    request_id: string | null;
    created_at: Date | string;
    sent_at: Date | string | null;
    next_attempt_at: Date | string;
  }>(sql`
    select id, email, period, status, attempts, last_error, request_id, created_at, sent_at, next_attempt_at
    from statement_deliveries
    where org_id = ${params.orgId} and ${sameGroup(sql`billing_group_id`, params.billingGroupId)}
    order by created_at desc, period desc, email_key, id
    limit ${params.limit}`);
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    period: row.period,
    status: row.status,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    requestId: row.request_id,
    createdAt: new Date(row.created_at),
    sentAt: row.sent_at === null ? null : new Date(row.sent_at),
    nextAttemptAt: new Date(row.next_attempt_at),
  }));
}

/** Orgs whose close of `period` is still to be done (across orgs: a narrow definer function). */
export async function orgsAwaitingPeriodClose(db: Executor, period: string): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`select ledgerline_orgs_awaiting_statement_close(${period}) as id`);
  return rows.map((row) => row.id);
}

/** (org, group, period) triples with deliveries due at `now`, across orgs. */
export async function dueStatementGroups(
  db: Executor,
  now: Date,
): Promise<{ orgId: string; billingGroupId: GroupKey; period: string }[]> {
  const rows = await db.execute<{ org_id: string; billing_group_id: string | null; period: string }>(
    sql`select org_id, billing_group_id, period from ledgerline_statement_deliveries_due(${now.toISOString()})`,
  );
  return rows.map((row) => ({ orgId: row.org_id, billingGroupId: row.billing_group_id, period: row.period }));
}
