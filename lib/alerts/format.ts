// Zod-free, so the Alerts tab (a client component) does not ship the schema library for a join.

/** How the Alerts tab shows a group's thresholds (and what it sends back unchanged). */
export function formatThresholds(thresholds: readonly number[]): string {
  return thresholds.join(", ");
}
