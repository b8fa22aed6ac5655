// Pure rules of the Billing Groups screen (R10, R14, R19), unit-tested beside this file.

export const UNASSIGNED_LABEL = "Unassigned";

export function isReservedBillingGroupName(name: string): boolean {
  return name.trim().toLowerCase() === UNASSIGNED_LABEL.toLowerCase();
}

/**
 * Rows of the Billing Groups list per page (25, as most consoles default to). The whole list is
 * still sorted in SQL (by name, usage or members, R14); only one page of rows is rendered and sent,
 * so a 300-group org's page costs about what a small org's does (issue 8). Unassigned stays the
 * first row of every page (R10).
 */
export { BILLING_GROUPS_PAGE_SIZE } from "@/lib/limits";

export const SORT_KEYS = ["name", "usage", "members"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";
export type ListSort = { key: SortKey; direction: SortDirection };

/** Reads `?sort=&dir=` from the URL; anything unknown falls back to name ascending. */
export function parseListSort(sort: unknown, dir: unknown): ListSort {
  const key = (SORT_KEYS as readonly unknown[]).includes(sort) ? (sort as SortKey) : "name";
  const direction: SortDirection = dir === "desc" ? "desc" : dir === "asc" ? "asc" : key === "name" ? "asc" : "desc";
  return { key, direction };
}

/** The direction a header click asks for: toggles the active column, else its natural default. */
export function nextSort(current: ListSort, key: SortKey): ListSort {
  if (current.key === key) return { key, direction: current.direction === "asc" ? "desc" : "asc" };
  return { key, direction: key === "name" ? "asc" : "desc" };
}

/** R19/R20: a limit below usage is allowed; the group is then over its limit. */
export function isOverLimit(usage: bigint, limit: bigint | null): boolean {
  return limit !== null && usage > limit;
}

/** Progress bar value, 0–100 (capped: an over-limit group shows a full bar plus the state). */
export function usagePercent(usage: bigint, limit: bigint | null): number | null {
  if (limit === null || limit <= 0n) return null;
  const percent = Number((usage * 10_000n) / limit) / 100;
  return Math.min(100, percent);
}

/** Timestamps in the list: UTC, unambiguous, no locale surprises between server and client. */
export function formatTimestamp(instant: Date): string {
  return `${instant.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
