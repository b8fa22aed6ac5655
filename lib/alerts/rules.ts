import { z } from "zod";

// R40's rules, pure: which thresholds a group may have, which ones a limit or threshold change
// crosses or resolves, and the linear forecast. The database applies the same "reached" rule in
// `ledgerline_record_usage` (usage × 100 ≥ threshold × limit), so both sides agree on every event.

export const DEFAULT_ALERT_THRESHOLDS = [75, 90, 100] as const;
export const MAX_ALERT_THRESHOLDS = 5;

const COUNT_MESSAGE = "Enter 1 to 5 percents of the period limit, e.g. 75, 90, 100.";
const RANGE_MESSAGE = "Each threshold must be a whole number from 1 to 100, e.g. 75, 90, 100.";

/** "75, 90, 100", "75 90 100" or ["75", 90, 100] → the raw items, trimmed, empties dropped. */
function thresholdItems(input: unknown): unknown[] | null {
  if (typeof input === "string") return input.split(/[\s,;]+/).filter((item) => item !== "");
  if (Array.isArray(input)) return input.map((item) => (typeof item === "string" ? item.trim() : item));
  return null;
}

function toPercent(item: unknown): number | null {
  const text = typeof item === "number" ? String(item) : typeof item === "string" ? item.replace(/%$/, "") : null;
  if (text === null || !/^\d{1,3}$/.test(text)) return null;
  const value = Number(text);
  return value >= 1 && value <= 100 ? value : null;
}

/**
 * The `thresholds` field of the Alerts tab (R40): 1–5 distinct whole percents in 1–100, typed as
 * "75, 90, 100" (commas or spaces, an optional % each) or sent as an array. Sorted ascending.
 */
export const alertThresholdsSchema = z.unknown().transform((input, ctx): number[] => {
  const items = thresholdItems(input);
  if (items === null || items.length === 0 || items.length > MAX_ALERT_THRESHOLDS) {
    ctx.addIssue({ code: "custom", message: COUNT_MESSAGE });
    return z.NEVER;
  }
  const percents: number[] = [];
  for (const item of items) {
    const percent = toPercent(item);
    if (percent === null) {
      ctx.addIssue({ code: "custom", message: RANGE_MESSAGE });
      return z.NEVER;
    }
    if (percents.includes(percent)) {
      ctx.addIssue({ code: "custom", message: `${percent} is listed twice. List each threshold once.` });
      return z.NEVER;
    }
    percents.push(percent);
  }
  return percents.sort((a, b) => a - b);
});

// Client-safe (no zod): the Alerts tab imports it from ./format.
export { formatThresholds } from "./format";

/** R40: usage has reached `threshold` percent of `limit` (no limit: nothing is ever reached). */
export function thresholdReached(used: bigint, threshold: number, limit: bigint | null): boolean {
  return limit !== null && used * 100n >= BigInt(threshold) * limit;
}

export type AlertSettings = { limit: bigint | null; thresholds: readonly number[] };

/**
 * What a limit or threshold change means for a group whose usage stays `used`:
 * - crossed: reached now, and not both listed and reached before (so not already announced);
 * - resolved: reached and listed before, still listed, no longer reached (a raised or cleared limit).
 * A threshold removed from the list is neither: nobody listens for it any more.
 */
export function thresholdTransitions(params: { used: bigint; before: AlertSettings; after: AlertSettings }): {
  crossed: number[];
  resolved: number[];
} {
  const { used, before, after } = params;
  const reachedBefore = (t: number) => before.thresholds.includes(t) && thresholdReached(used, t, before.limit);
  const reachedAfter = (t: number) => thresholdReached(used, t, after.limit);
  return {
    crossed: after.thresholds.filter((t) => reachedAfter(t) && !reachedBefore(t)),
    resolved: before.thresholds.filter((t) => reachedBefore(t) && after.thresholds.includes(t) && !reachedAfter(t)),
  };
}

/**
 * R40's linear projection: the period's usage so far, scaled from the time elapsed to the whole
 * period, in hundredths (rounded down). Before the period's first millisecond has passed the
 * usage itself is the projection (no division by zero).
 */
export function projectUsage(used: bigint, periodStart: Date, periodEnd: Date, now: Date): bigint {
  const elapsed = BigInt(now.getTime() - periodStart.getTime());
  const length = BigInt(periodEnd.getTime() - periodStart.getTime());
  if (elapsed <= 0n) return used;
  if (elapsed >= length) return used;
  return (used * length) / elapsed;
}

/** R40: a forecast fires once at least 10 % of the limit is used and the projection reaches it. */
export function forecastExceeds(used: bigint, limit: bigint | null, projected: bigint): boolean {
  return limit !== null && used * 10n >= limit && projected >= limit;
}
