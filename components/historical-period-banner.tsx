import Link from "next/link";
import { HISTORICAL_PERIOD_REASON } from "@/lib/periods/page-period";

/**
 * Issue 18: the one look of a historical period on every screen that has a period (R23): the
 * same read-only notice, with the way back to the current period (the same screen and filters,
 * without `period`).
 */
export function HistoricalPeriodBanner({
  path,
  searchParams,
  currentOnly,
}: {
  path: string;
  searchParams: Record<string, string | string[] | undefined>;
  /**
   * Period-true history: limits, billing groups and member counts are shown as they stood at the
   * period's end; what the screen can only show as it is today is named here, so no one reads it
   * as history.
   */
  currentOnly: string;
}) {
  const next = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams))
    if (typeof value === "string" && key !== "period" && key !== "page") next.set(key, value);
  const query = next.toString();
  return (
    <div
      role="status"
      className="mb-4 flex flex-wrap items-center justify-between gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      <span>
        {HISTORICAL_PERIOD_REASON} Limits, billing groups and members are shown as they stood at the end of the period;{" "}
        {currentOnly} are current.
      </span>
      <Link href={query ? `${path}?${query}` : path} className="font-medium text-amber-950 underline">
        Back to current period
      </Link>
    </div>
  );
}
