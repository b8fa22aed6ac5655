import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { previousPeriod, type Period } from "@/lib/periods/rules";
import { billingGroupSettingsAt, settingsAsOf } from "@/lib/periods/settings-at";
import { periodEnd, periodStart } from "@/lib/statements/rules";
import type { DailyCredits } from "@/lib/usage/trends";

// R45: what the usage charts read — the per-period and per-day rollups (group_period_usage,
// group_daily_usage) and the settings history for the limit of each period; never usage_events.

const isoDay = (instant: Date) => instant.toISOString().slice(0, 10);

export type PeriodUsageAndLimit = { period: Period; used: bigint; limit: bigint | null; existed: boolean };

/**
 * One group's usage in each period from `first` to `last` and the period limit that applied at each one's end
 * (`existed`: the group had been created by then, so periods before it can be left out).
 */
export async function groupUsageByPeriod(
  db: Executor,
  params: { orgId: string; billingGroupId: string; first: Period; last: Period },
): Promise<PeriodUsageAndLimit[]> {
  const rows = await db.execute<{ period: string; used: string; limit: string | null; existed: boolean }>(sql`
    select p.period, coalesce(u.credits, 0)::text as used, s.period_limit::text as limit, s.period is not null as existed
    from (
      select to_char(m, 'YYYY-MM') as period
      from generate_series(${`${params.first}-01`}::date, ${`${params.last}-01`}::date, interval '1 month') as m
    ) p
    left join group_period_usage u
      on u.org_id = ${params.orgId} and u.billing_group_id = ${params.billingGroupId} and u.period = p.period
    left join lateral (
      select h.period, h.period_limit from billing_group_period_settings h
      where h.org_id = ${params.orgId} and h.billing_group_id = ${params.billingGroupId} and h.period <= p.period
      order by h.period desc limit 1
    ) s on true
    order by p.period`);
  return rows.map((row) => ({
    period: row.period,
    used: BigInt(row.used),
    limit: row.limit === null ? null : BigInt(row.limit),
    existed: row.existed,
  }));
}

/** One group's Credits per UTC day of `period` (days without usage are absent). */
export async function groupDailyUsage(
  db: Executor,
  params: { orgId: string; billingGroupId: string; period: Period },
): Promise<DailyCredits[]> {
  const rows = await db.execute<{ day: string; credits: string }>(sql`
    select day::text as day, credits::text as credits from group_daily_usage
    where org_id = ${params.orgId} and billing_group_id = ${params.billingGroupId}
      and day >= ${isoDay(periodStart(params.period))}::date and day < ${isoDay(periodEnd(params.period))}::date
    order by day`);
  return rows.map((row) => ({ day: row.day, credits: BigInt(row.credits) }));
}

/** The org's Credits per UTC day across `period` and the one before it, every group and Unassigned together. */
export async function orgDailyUsage(db: Executor, params: { orgId: string; period: Period }): Promise<DailyCredits[]> {
  const rows = await db.execute<{ day: string; credits: string }>(sql`
    select day::text as day, sum(credits)::text as credits from group_daily_usage
    where org_id = ${params.orgId}
      and day >= ${isoDay(periodStart(previousPeriod(params.period)))}::date
      and day < ${isoDay(periodEnd(params.period))}::date
    group by day order by day`);
  return rows.map((row) => ({ day: row.day, credits: BigInt(row.credits) }));
}

/**
 * The candidates for "nearest their limit" in `period`, with their usage in it: for the current
 * period, live groups with a period limit; for a past one, the groups as they stood at its end —
 * not yet deleted then and limited then, each against the limit that applied (issue 18's history),
 * so an old period is never judged against a limit set since.
 */
export async function limitedGroupsUsage(
  db: Executor,
  params: { orgId: string; period: Period },
): Promise<{ id: string; name: string; used: bigint; limit: bigint }[]> {
  const asOf = settingsAsOf(params.period);
  const usage = sql`left join group_period_usage u
      on u.org_id = bg.org_id and u.billing_group_id = bg.id and u.period = ${params.period}`;
  const at = asOf ? billingGroupSettingsAt(db, { orgId: params.orgId, period: asOf }) : null;
  const rows = await db.execute<{ id: string; name: string; used: string; limit: string }>(
    at
      ? sql`
    select bg.id, bg.name, coalesce(u.credits, 0)::text as used, ${at.periodLimit}::text as limit
    from billing_groups bg
    join ${at} on ${at.billingGroupId} = bg.id and not ${at.deleted} and ${at.periodLimit} is not null
    ${usage}
    where bg.org_id = ${params.orgId}`
      : sql`
    select bg.id, bg.name, coalesce(u.credits, 0)::text as used, bg.period_limit::text as limit
    from billing_groups bg
    ${usage}
    where bg.org_id = ${params.orgId} and bg.deleted_at is null and bg.period_limit is not null`,
  );
  return rows.map((row) => ({ id: row.id, name: row.name, used: BigInt(row.used), limit: BigInt(row.limit) }));
}
