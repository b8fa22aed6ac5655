// The retry rules every delivery shares — statements (R39), alert emails (R40) and webhooks (R41):
// how long a worker holds what it claimed, how long it waits after a failure, and when it gives
// up. Pure; instants come from lib/clock.ts, passed in.

/** A failed delivery is tried again for at least this long after its window opened (24 hours). */
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
 * when the delivery was queued (or resent) has passed.
 */
export function afterFailedAttempt(params: {
  queuedAt: Date;
  failedAttempts: number;
  now: Date;
}): { status: "retrying"; retryAt: Date } | { status: "failed" } {
  if (params.now.getTime() - params.queuedAt.getTime() >= RETRY_WINDOW_MS) return { status: "failed" };
  return { status: "retrying", retryAt: new Date(params.now.getTime() + retryDelayMs(params.failedAttempts)) };
}

/** The moment a claim taken at `now` runs out. */
export function leaseUntil(now: Date): Date {
  return new Date(now.getTime() + DELIVERY_LEASE_MS);
}

/**
 * A Message-ID stable for the delivery (so a message whose hand-off was not recorded goes again
 * under the same id, and the receiving side can tell it is the same message), in the sender's
 * domain. `kind` says what was mailed (`statement`, `alert`).
 */
export function deliveryMessageId(kind: string, deliveryId: string, mailFrom: string): string {
  const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom;
  const domain = address.split("@")[1]?.trim() || "ledgerline.invalid";
  return `<${kind}.${deliveryId}@${domain}>`;
}
