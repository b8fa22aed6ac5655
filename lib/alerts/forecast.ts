import "server-only";
import { sql } from "drizzle-orm";
import { getDb, type Transaction, withOrg } from "@/db";
import { now as clockNow } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { periodEnd, periodStart } from "@/lib/statements/rules";
import { forecastExceeds, projectUsage } from "./rules";
import { wakeEventDispatch } from "@/lib/events/wake";

// R40's forecast, judged by the minute's events tick (lib/jobs/runner.ts calls runForecastCheck):
// for every live group with a limit, the period's usage projected linearly to the period's end;
// `forecast.exceeds` once it reaches the limit and at least 10 % is used. At most once per group
// and period: the partial unique index `events_forecast_once_key` settles two ticks racing.

export type ForecastOutcome = { orgs: number; fired: number };

async function orgsWithForecastCandidates(period: string): Promise<string[]> {
  const rows = await getDb().execute<{ id: string }>(
    sql`select ledgerline_orgs_with_forecast_candidates(${period}) as id`,
  );
  return rows.map((row) => row.id);
}

/** One org's groups that may need a forecast: a limit, usage this period, none fired yet. */
async function judgeOrgForecasts(tx: Transaction, params: { orgId: string; period: string; now: Date }) {
  const { orgId, period, now } = params;
  const groups = await tx.execute<{ id: string; name: string; used: string; limit: string }>(sql`
    select bg.id, bg.name, g.credits::text as used, bg.period_limit::text as limit
    from billing_groups bg
    join group_period_usage g on g.org_id = bg.org_id and g.billing_group_id = bg.id and g.period = ${period}
    where bg.org_id = ${orgId}::uuid and bg.deleted_at is null and bg.period_limit is not null
      and not exists (select 1 from events e where e.org_id = bg.org_id and e.billing_group_id = bg.id
        and e.period = ${period} and e.type = 'forecast.exceeds')`);
  let fired = 0;
  for (const group of groups) {
    const used = BigInt(group.used);
    const limit = BigInt(group.limit);
    const projected = projectUsage(used, periodStart(period), periodEnd(period), now);
    if (!forecastExceeds(used, limit, projected)) continue;
    const inserted = await tx.execute(sql`
      insert into events (org_id, type, billing_group_id, period, threshold, data, created_at)
      values (${orgId}::uuid, 'forecast.exceeds', ${group.id}::uuid, ${period}, null,
        ledgerline_alert_event_data(${group.id}::uuid, ${group.name}, ${period}, null,
          ${used}::bigint, ${limit}::bigint, ${projected}::bigint),
        ${now.toISOString()}::timestamptz)
      on conflict (org_id, billing_group_id, period) where type = 'forecast.exceeds' do nothing
      returning id`);
    fired += inserted.length;
  }
  return fired;
}

/** Judges every candidate org's forecasts for the current period; wakes the dispatcher where one fired. */
export async function runForecastCheck(): Promise<ForecastOutcome> {
  const now = clockNow();
  const period = periodOf(now);
  const outcome: ForecastOutcome = { orgs: 0, fired: 0 };
  for (const orgId of await orgsWithForecastCandidates(period)) {
    const fired = await withOrg(orgId, (tx) => judgeOrgForecasts(tx, { orgId, period, now }));
    outcome.orgs += 1;
    outcome.fired += fired;
    await wakeEventDispatch(orgId, fired);
  }
  return outcome;
}
