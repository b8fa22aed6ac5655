// What the cluster test asserts about the primary's data after the load: each answered event
// recorded once, no key twice, no limit exceeded, rollups equal to events, and the period close's
// statements and the alerts' deliveries made once each.
import type postgres from "postgres";
import type { SentEvent } from "./load";
import { sleep } from "./processes";

export type Problems = string[];

/** Every 2xx answer is one event with the id it answered; no other request left an event. */
export async function checkRecordedOnce(sql: postgres.Sql, orgId: string, sent: SentEvent[]) {
  const problems: Problems = [];
  const rows = await sql<{ key: string; event_id: string; credits: string; events: number }[]>`
    select i.key, i.event_id, e.credits::text as credits,
      (select count(*)::int from usage_events x where x.org_id = i.org_id and x.id = i.event_id) as events
    from idempotency_records i left join usage_events e on e.org_id = i.org_id and e.id = i.event_id
    where i.org_id = ${orgId}`;
  const recorded = new Map(rows.map((row) => [row.key, row]));
  const [counts] = await sql<{ events: number; keys: number; distinct_keys: number; orphans: number }[]>`
    select (select count(*)::int from usage_events where org_id = ${orgId}) as events,
      (select count(*)::int from idempotency_records where org_id = ${orgId}) as keys,
      (select count(distinct key)::int from idempotency_records where org_id = ${orgId}) as distinct_keys,
      (select count(*)::int from usage_events e where e.org_id = ${orgId} and not exists (
        select 1 from idempotency_records i where i.org_id = e.org_id and i.event_id = e.id)) as orphans`;
  const answered = sent.filter((event) => event.status !== null && event.status < 300);
  for (const event of answered) {
    const row = recorded.get(event.idempotencyKey);
    if (!row) problems.push(`answered ${event.status} but not recorded: ${event.idempotencyKey}`);
    else if (row.event_id !== event.eventId) problems.push(`answered event ${event.eventId}, recorded ${row.event_id}`);
    else if (row.events !== 1) problems.push(`event ${row.event_id} stored ${row.events} times`);
    else if (Number(row.credits) !== Math.round(Number(event.credits) * 100))
      problems.push(`event ${row.event_id} has ${row.credits} hundredths, sent ${event.credits}`);
  }
  const refusedButRecorded = sent.filter(
    (event) => event.status !== null && event.status >= 400 && recorded.has(event.idempotencyKey),
  );
  for (const event of refusedButRecorded)
    problems.push(`answered ${event.status} yet recorded: ${event.idempotencyKey}`);
  const duplicates = counts!.keys - counts!.distinct_keys + counts!.orphans + (counts!.events - counts!.keys);
  if (duplicates !== 0) problems.push(`duplicates: ${JSON.stringify(counts)}`);
  return { problems, recorded: counts!.events, duplicates };
}

/** No member above their personal limit, no billing group above its limit, in any period. */
export async function checkOvershoot(sql: postgres.Sql, orgId: string) {
  const over = await sql<{ what: string; credits: string; limit: string }[]>`
    select 'member ' || m.email || ' in ' || u.period as what, u.credits::text, m.personal_limit::text as limit
    from member_period_usage u join members m on m.org_id = u.org_id and m.id = u.member_id
    where u.org_id = ${orgId} and u.credits > m.personal_limit
    union all
    select 'group ' || bg.name || ' in ' || g.period, g.credits::text, bg.period_limit::text
    from group_period_usage g join billing_groups bg on bg.org_id = g.org_id and bg.id = g.billing_group_id
    where g.org_id = ${orgId} and g.credits > bg.period_limit`;
  return { problems: over.map((row) => `${row.what}: ${row.credits} > ${row.limit}`), overshoot: over.length };
}

/** The member, member × group and group rollups of every period equal the sums of the events. */
export async function checkRollups(sql: postgres.Sql, orgId: string) {
  const mismatches = await sql<{ rollup: string; period: string; rolled: string | null; summed: string | null }[]>`
    with events as (
      select period, member_id, billing_group_id, sum(credits) as credits, count(*)::int as n
      from usage_events where org_id = ${orgId} group by 1, 2, 3
    ), by_member as (
      select period, member_id, sum(credits) as credits from events group by 1, 2
    ), by_group as (
      select period, billing_group_id, sum(credits) as credits from events group by 1, 2
    )
    select 'member × group' as rollup, coalesce(r.period, e.period) as period,
           (r.credits::text || '/' || r.event_count) as rolled, (e.credits::text || '/' || e.n) as summed
    from (select * from member_group_period_usage where org_id = ${orgId} and credits > 0) r
    full join events e on e.period = r.period and e.member_id = r.member_id
      and e.billing_group_id is not distinct from r.billing_group_id
    where r.credits is distinct from e.credits or r.event_count is distinct from e.n
    union all
    select 'member', coalesce(r.period, e.period), r.credits::text, e.credits::text
    from (select * from member_period_usage where org_id = ${orgId} and credits > 0) r
    full join by_member e on e.period = r.period and e.member_id = r.member_id
    where r.credits is distinct from e.credits
    union all
    select 'group', coalesce(r.period, e.period), r.credits::text, e.credits::text
    from (select * from group_period_usage where org_id = ${orgId} and credits > 0) r
    full join by_group e on e.period = r.period and e.billing_group_id is not distinct from r.billing_group_id
    where r.credits is distinct from e.credits`;
  const [sizes] = await sql<{ members: number; groups: number }[]>`
    select (select count(*)::int from member_period_usage where org_id = ${orgId}) as members,
      (select count(*)::int from group_period_usage where org_id = ${orgId}) as groups`;
  return {
    problems: mismatches.map((row) => `${row.rollup} rollup of ${row.period}: ${row.rolled} ≠ events ${row.summed}`),
    rows: sizes!,
  };
}

export type Received = { statementMails: string[]; alertMails: string[]; webhookEventIds: string[] };

/** Counts of each id; the ids seen more than once. */
function repeated(ids: string[]): string[] {
  const seen = new Map<string, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
}

/**
 * The close of `period`: one close row, one statement delivery per recipient, each sent and each
 * mailed once; every alert event dispatched, each of its deliveries made, and received, once.
 */
export async function checkDeliveredOnce(
  sql: postgres.Sql,
  params: { orgId: string; period: string; recipients: number; received: Received },
) {
  const problems: Problems = [];
  const { orgId, period, received } = params;
  const closes = await sql`select 1 from statement_period_closes where org_id = ${orgId} and period = ${period}`;
  if (closes.length !== 1) problems.push(`${closes.length} period closes of ${period}`);
  const statements = await sql<{ id: string; status: string }[]>`
    select id, status from statement_deliveries where org_id = ${orgId} and period = ${period} and request_id is null`;
  if (statements.length !== params.recipients)
    problems.push(`${statements.length} statement deliveries for ${params.recipients} recipients`);
  for (const delivery of statements.filter((d) => d.status !== "sent"))
    problems.push(`statement delivery ${delivery.id} is ${delivery.status}`);
  const alertDeliveries = await sql<{ id: string; channel: string; status: string; event_id: string }[]>`
    select d.id, d.channel, d.status, d.event_id from event_deliveries d
    join events e on e.org_id = d.org_id and e.id = d.event_id
    where d.org_id = ${orgId} and e.type <> 'ping'`;
  const [events] = await sql<{ total: number; undispatched: number }[]>`
    select count(*)::int as total, count(*) filter (where dispatched_at is null)::int as undispatched
    from events where org_id = ${orgId} and type <> 'ping'`;
  if (events!.undispatched > 0) problems.push(`${events!.undispatched} alert events never dispatched`);
  for (const delivery of alertDeliveries.filter((d) => d.status !== "succeeded"))
    problems.push(`alert ${delivery.channel} delivery ${delivery.id} is ${delivery.status}`);
  const mailed = (ids: string[], kind: string) =>
    ids.map((id) => new RegExp(`^<${kind}\\.([0-9a-f-]+)@`).exec(id)?.[1]);
  const statementMails = mailed(received.statementMails, "statement");
  const alertMails = mailed(received.alertMails, "alert");
  problems.push(
    ...repeated(received.statementMails).map((id) => `statement mailed more than once: ${id}`),
    ...repeated(received.alertMails).map((id) => `alert mailed more than once: ${id}`),
    ...repeated(received.webhookEventIds).map((id) => `webhook received more than once: ${id}`),
  );
  for (const delivery of statements.filter((d) => !statementMails.includes(d.id)))
    problems.push(`statement delivery ${delivery.id} never reached the mail server`);
  for (const delivery of alertDeliveries) {
    const arrived =
      delivery.channel === "email"
        ? alertMails.includes(delivery.id)
        : received.webhookEventIds.includes(delivery.event_id);
    if (!arrived) problems.push(`alert ${delivery.channel} delivery ${delivery.id} never arrived`);
  }
  return {
    problems,
    statements: statements.length,
    alertEvents: events!.total,
    alertDeliveries: alertDeliveries.length,
  };
}

/**
 * Waits until the close of `period` has queued a statement per recipient and every statement and
 * alert delivery is done (sent, or failed: the checks then report it), at most `timeoutMs`.
 */
export async function waitForDeliveries(
  sql: postgres.Sql,
  params: { orgId: string; period: string; recipients: number },
  timeoutMs = 60_000,
): Promise<void> {
  const { orgId, period } = params;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [pending] = await sql<{ statements: number; alerts: number; undispatched: number }[]>`
      select
        (select count(*)::int from statement_deliveries where org_id = ${orgId} and period = ${period}
          and status in ('queued', 'retrying')) +
        greatest(0, ${params.recipients} - (select count(*)::int from statement_deliveries
          where org_id = ${orgId} and period = ${period})) as statements,
        (select count(*)::int from event_deliveries where org_id = ${orgId} and status in ('queued', 'retrying')) as alerts,
        (select count(*)::int from events where org_id = ${orgId} and dispatched_at is null and type <> 'ping') as undispatched`;
    if (pending!.statements + pending!.alerts + pending!.undispatched === 0) break;
    if (Date.now() > deadline)
      throw new Error(`Deliveries still pending after ${timeoutMs / 1000} s: ${JSON.stringify(pending)}`);
    await sleep(500);
  }
  // A late duplicate would arrive within moments; give it the chance to be counted.
  await sleep(2_000);
}
