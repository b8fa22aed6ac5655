// R45: the charts' serializable shapes. Each figure comes twice: a number of Credits for the chart
// to plot, and the exact display text (formatCredits) for the text alternative beside it.
import { formatCredits } from "@/lib/credits/rules";
import { formatPeriodLabel, previousPeriod, type Period } from "@/lib/periods/rules";
import {
  compareWithPreviousPeriod,
  cumulativeByDay,
  dayOfPeriod,
  daysInPeriod,
  nearestToLimit,
  projectedEnd,
  type DailyCredits,
} from "@/lib/usage/trends";

/** A plotted amount: Credits as a number (hundredths / 100) and as exact text. */
export type Amount = { value: number; text: string };

const amount = (hundredths: bigint): Amount => ({ value: Number(hundredths) / 100, text: formatCredits(hundredths) });
const amountOrNull = (hundredths: bigint | null) => (hundredths === null ? null : amount(hundredths));

export type BillingGroupTrendsDto = {
  period: Period;
  /** Oldest first: the group's last 12 periods (from its creation), each with the limit that applied then. */
  periods: { period: Period; label: string; used: Amount; limit: Amount | null }[];
  /** The current period only: cumulative usage per day so far and the projected end (R40). */
  daily: {
    daysInPeriod: number;
    days: { day: number; date: string; cumulative: Amount }[];
    projectedEnd: Amount | null;
    limit: Amount | null;
  } | null;
};

export function toTrendsDto(params: {
  period: Period;
  current: Period;
  now: Date;
  periods: { period: Period; used: bigint; limit: bigint | null; existed: boolean }[];
  daily: DailyCredits[] | null;
}): BillingGroupTrendsDto {
  const { period, current, now } = params;
  // Periods before the group existed are left out, unless usage says otherwise.
  const firstKept = params.periods.findIndex((p) => p.existed || p.used > 0n);
  const periods = (firstKept < 0 ? params.periods.slice(-1) : params.periods.slice(firstKept)).map((p) => ({
    period: p.period,
    label: formatPeriodLabel(p.period, current),
    used: amount(p.used),
    limit: amountOrNull(p.limit),
  }));
  const limitNow = params.periods.at(-1)?.limit ?? null;
  let daily: BillingGroupTrendsDto["daily"] = null;
  if (params.daily) {
    const days = cumulativeByDay(period, params.daily, dayOfPeriod(period, now));
    const used = days.at(-1)?.cumulative ?? 0n;
    daily = {
      daysInPeriod: daysInPeriod(period),
      days: days.map((d) => ({ day: d.day, date: d.date, cumulative: amount(d.cumulative) })),
      projectedEnd: amountOrNull(projectedEnd(period, used, now)),
      limit: amountOrNull(limitNow),
    };
  }
  return { period, periods, daily };
}

export type BillingGroupsOverviewDto = {
  period: Period;
  periodLabel: string;
  previousLabel: string;
  /** The day of the period the comparison runs through. */
  day: number;
  thisPeriod: Amount;
  previousPeriod: Amount;
  changePercent: number | null;
  /** Day by day, both periods' running totals (this period's only through `day`). */
  series: { day: number; thisPeriod: Amount | null; previousPeriod: Amount | null }[];
  nearest: { id: string; name: string; used: Amount; limit: Amount; percent: number }[];
};

export function toOverviewDto(params: {
  period: Period;
  current: Period;
  now: Date;
  daily: DailyCredits[];
  limited: { id: string; name: string; used: bigint; limit: bigint }[];
}): BillingGroupsOverviewDto {
  const { period, current, now, daily } = params;
  const previous = previousPeriod(period);
  const comparison = compareWithPreviousPeriod(period, daily, now);
  const mine = cumulativeByDay(period, daily, comparison.day);
  const theirs = cumulativeByDay(previous, daily, daysInPeriod(previous));
  const length = Math.max(daysInPeriod(period), daysInPeriod(previous));
  const series = Array.from({ length }, (_, i) => ({
    day: i + 1,
    thisPeriod: mine[i] ? amount(mine[i].cumulative) : null,
    previousPeriod: theirs[i] ? amount(theirs[i].cumulative) : null,
  }));
  return {
    period,
    periodLabel: formatPeriodLabel(period, current),
    previousLabel: formatPeriodLabel(previous, current),
    day: comparison.day,
    thisPeriod: amount(comparison.thisPeriod),
    previousPeriod: amount(comparison.previousPeriod),
    changePercent: comparison.changePercent,
    series,
    nearest: nearestToLimit(params.limited, 5).map((g) => ({
      id: g.id,
      name: g.name,
      used: amount(g.used),
      limit: amount(g.limit),
      percent: Number((g.used * 1000n) / g.limit) / 10,
    })),
  };
}
