// R39's timing rules, pure: which period a close mails, when a failed send is tried again, and
// when it is given up. Times are instants from lib/clock.ts, passed in.

import { periodOf, previousPeriod, type Period } from "@/lib/periods/rules";

/** A failed send is tried again for at least this long after it was queued (R39: 24 hours). */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;

const FIRST_RETRY_MS = 60 * 1000;
const LONGEST_RETRY_MS = 60 * 60 * 1000;

/** How long a worker holds the deliveries it is sending before another may take them over. */
export const DELIVERY_LEASE_MS = 15 * 60 * 1000;

/** The wait after the n-th failed attempt (n ≥ 1): 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMs(failedAttempts: number): number {
  const exponent = Math.max(0, Math.min(failedAttempts - 1, 30));
  return Math.min(FIRST_RETRY_MS * 2 ** exponent, LONGEST_RETRY_MS);
}

/**
 * After a failed attempt: try again at `retryAt`, or stop (`failed`) once the window that began
 * when the delivery was queued has passed.
 */
export function afterFailedAttempt(params: {
  queuedAt: Date;
  failedAttempts: number;
  now: Date;
}): { status: "retrying"; retryAt: Date } | { status: "failed" } {
  if (params.now.getTime() - params.queuedAt.getTime() >= RETRY_WINDOW_MS) return { status: "failed" };
  return { status: "retrying", retryAt: new Date(params.now.getTime() + retryDelayMs(params.failedAttempts)) };
}

/** The period a close at `now` mails: the one that ended at the last month boundary (UTC). */
export function periodJustClosed(now: Date): Period {
  return previousPeriod(periodOf(now));
}

/** The instant a period began (its first millisecond, UTC). */
export function periodStart(period: Period): Date {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 1));
}

/** The instant a period ended: the next one's first millisecond. */
export function periodEnd(period: Period): Date {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1));
}

/** `Send Statement` is for periods that have closed: before the current one (R39). */
export function isClosedPeriod(period: Period, now: Date): boolean {
  return period < periodOf(now);
}

/** R39: the subject line, exactly. */
export function statementSubject(groupName: string, period: Period): string {
  return `Ledgerline statement: ${groupName}, ${period}`;
}

/**
 * A Message-ID stable for the delivery (so a message whose hand-off was not recorded goes again
 * under the same id, and the receiving side can tell it is the same message).
 */
export function statementMessageId(deliveryId: string, mailFrom: string): string {
  const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom;
  const domain = address.split("@")[1]?.trim() || "ledgerline.invalid";
  return `<statement.${deliveryId}@${domain}>`;
}
