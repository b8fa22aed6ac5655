import "server-only";
import { now } from "@/lib/clock";
import { DomainError } from "@/lib/errors";
import { isPeriod, periodOf, periodsSince } from "@/lib/periods/rules";

/** An export period must be the current one or an earlier one since the org was created (R16, R24). */
export function requireExportPeriod(orgCreatedAt: Date, requested: string | null): string {
  const current = periodOf(now());
  const period = requested?.trim() || current;
  if (!isPeriod(period) || !periodsSince(orgCreatedAt, current).includes(period)) {
    throw new DomainError(
      "invalid_input",
      "period must be YYYY-MM: the current period or an earlier one since the organization was created.",
    );
  }
  return period;
}
