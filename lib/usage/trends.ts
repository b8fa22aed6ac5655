// R45: the pure arithmetic behind the usage charts — cumulative days, the same-day comparison with
// the previous period and the projected end (R40's linear forecast). Credits stay integer
// hundredths here; the DTOs format them.
import { projectUsage } from "@/lib/alerts/rules";
import { previousPeriod, type Period } from "@/lib/periods/rules";
import { periodEnd, periodStart } from "@/lib/statements/rules";

export type DailyCredits = { day: string; credits: bigint };
export type CumulativeDay = { day: number; date: string; cumulative: bigint };

const DAY_MS = 86_400_000;

/** Days in a period (28–31). */
export function daysInPeriod(period: Period): number {
  return Math.round((periodEnd(period).getTime() - periodStart(period).getTime()) / DAY_MS);
}

/** The period's `YYYY-MM-DD` of day `n` (1-based). */
function dateOf(period: Period, n: number): string {
  return `${period}-${String(n).padStart(2, "0")}`;
}

/**
 * Running totals for days 1…`throughDay` of `period` (days without usage carry the total on).
 * Rows outside the period are ignored, so a caller may pass a wider range.
 */
export function cumulativeByDay(period: Period, daily: DailyCredits[], throughDay: number): CumulativeDay[] {
  const byDate = new Map(daily.map((d) => [d.day, d.credits]));
  const last = Math.min(Math.max(throughDay, 0), daysInPeriod(period));
  const out: CumulativeDay[] = [];
  let total = 0n;
  for (let n = 1; n <= last; n++) {
    total += byDate.get(dateOf(period, n)) ?? 0n;
    out.push({ day: n, date: dateOf(period, n), cumulative: total });
  }
  return out;
}

/** The day of `period` that `now` falls on; the last day for a period already over, 0 before it. */
export function dayOfPeriod(period: Period, now: Date): number {
  if (now >= periodEnd(period)) return daysInPeriod(period);
  if (now < periodStart(period)) return 0;
  return now.getUTCDate();
}

export type SameDayComparison = {
  day: number;
  thisPeriod: bigint;
  /** The previous period through the same day (its last day when it is shorter). */
  previousPeriod: bigint;
  /** Percent change, one decimal; null when the previous period had nothing to compare with. */
  changePercent: number | null;
};

/** R45: the org's usage this period against last period at the same day. */
export function compareWithPreviousPeriod(period: Period, daily: DailyCredits[], now: Date): SameDayComparison {
  const day = dayOfPeriod(period, now);
  const previous = previousPeriod(period);
  const thisPeriod = cumulativeByDay(period, daily, day).at(-1)?.cumulative ?? 0n;
  const previousTotal =
    cumulativeByDay(previous, daily, Math.min(day, daysInPeriod(previous))).at(-1)?.cumulative ?? 0n;
  const changePercent =
    previousTotal === 0n ? null : Number(((thisPeriod - previousTotal) * 1000n) / previousTotal) / 10;
  return { day, thisPeriod, previousPeriod: previousTotal, changePercent };
}

/** R45 with R40: where the period ends at its pace so far (none for a period that is over or not begun). */
export function projectedEnd(period: Period, used: bigint, now: Date): bigint | null {
  if (now >= periodEnd(period) || now < periodStart(period)) return null;
  return projectUsage(used, periodStart(period), periodEnd(period), now);
}

/** The `count` periods ending with `last`, oldest first. */
export function periodsEndingWith(last: Period, count: number): Period[] {
  const out: Period[] = [last];
  while (out.length < count) out.unshift(previousPeriod(out[0]!));
  return out;
}

/**
 * R45: groups nearest their limit first — by the share of the limit used, exactly (cross-multiplied
 * hundredths, no floating point), then by name.
 */
export function nearestToLimit<T extends { name: string; used: bigint; limit: bigint }>(
  groups: T[],
  count: number,
): T[] {
  return [...groups]
    .sort((a, b) => {
      const left = a.used * b.limit;
      const right = b.used * a.limit;
      if (left !== right) return left > right ? -1 : 1;
      return a.name.localeCompare(b.name);
    })
    .slice(0, count);
}
