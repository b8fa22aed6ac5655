// Pure helpers of the Notifications list (R40), unit-tested beside them.

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["week", 7 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago": how long before `at` an event happened. */
export function formatRelativeTime(createdAt: string, at: Date): string {
  const seconds = Math.round((at.getTime() - new Date(createdAt).getTime()) / 1000);
  if (seconds < 60) return "just now";
  for (const [unit, size] of UNITS) {
    if (seconds >= size) return relative.format(-Math.floor(seconds / size), unit);
  }
  return "just now";
}

/** What the bell's badge shows: the count, capped so it stays one small circle. */
export function unreadBadge(unread: number): string {
  return unread > 99 ? "99+" : String(unread);
}
