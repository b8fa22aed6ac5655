// R16: a period is a calendar month in UTC, keyed YYYY-MM.

export type Period = string;

export const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function periodOf(instant: Date): Period {
  const year = instant.getUTCFullYear();
  const month = instant.getUTCMonth() + 1;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
}

export function isPeriod(value: unknown): value is Period {
  return typeof value === "string" && PERIOD_PATTERN.test(value);
}

export function previousPeriod(period: Period): Period {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
}

/** Current period first, then every earlier one back to the org's creation (newest first). */
export function periodsSince(createdAt: Date, current: Period): Period[] {
  const first = periodOf(createdAt);
  const periods: Period[] = [];
  let cursor = current;
  // Lexical order of YYYY-MM equals chronological order.
  while (cursor >= first) {
    periods.push(cursor);
    cursor = previousPeriod(cursor);
  }
  return periods.length ? periods : [current];
}

/**
 * Resolves the `?period=` URL parameter: a known period is kept, anything else falls back to
 * the current one, so a bad link still shows a sensible page.
 */
export function resolvePeriod(requested: unknown, available: Period[], current: Period): Period {
  return isPeriod(requested) && available.includes(requested) ? requested : current;
}

/** Built once: toLocaleString builds a formatter per call (a third of a millisecond, per statement). */
const MONTH_AND_YEAR = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

export function formatPeriodLabel(period: Period, current: Period): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  const name = MONTH_AND_YEAR.format(new Date(Date.UTC(year, month - 1, 1)));
  return period === current ? `${name} (current)` : name;
}
