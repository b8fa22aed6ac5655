import "server-only";
import { now } from "@/lib/clock";
import { StalePeriodError } from "@/lib/errors";
import type { SignedInMember } from "@/lib/auth/guard";
import { formatPeriodLabel, periodOf, periodsSince, resolvePeriod, type Period } from "./rules";

export type PagePeriod = {
  /** The period the page shows. */
  period: Period;
  current: Period;
  isHistorical: boolean;
  options: { value: Period; label: string }[];
};

/** Resolves `?period=` for a console page against the org's history (R16). */
export function pagePeriod(member: Pick<SignedInMember, "orgCreatedAt">, requested: unknown): PagePeriod {
  const current = periodOf(now());
  const available = periodsSince(member.orgCreatedAt, current);
  const period = resolvePeriod(requested, available, current);
  return {
    period,
    current,
    isHistorical: period !== current,
    options: available.map((value) => ({ value, label: formatPeriodLabel(value, current) })),
  };
}

/** R23: the tooltip on every mutation control disabled in a historical period. */
export const HISTORICAL_PERIOD_REASON =
  "Historical periods are read-only: switch to the current period to make changes.";

/**
 * R23 on the server: a mutation carries the period its page showed and is refused unless that is
 * still the current one (a tab left open across a month boundary changes nothing).
 */
export function requireCurrentPeriod(shown: unknown): void {
  if (shown !== periodOf(now())) throw new StalePeriodError();
}
