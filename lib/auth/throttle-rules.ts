// Sign-in throttling: pure rules, so they are unit-tested without a database.

/** The error code sign-in reports when throttled, followed by `:<minutes>`. */
export const RATE_LIMITED = "rate_limited";

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES = { account: 5, address: 50 } as const;

export type ThrottleState = { windowStartedAt: Date; failures: number } | null;

/** Failures that still count at `now` (a window older than THROTTLE_WINDOW_MS counts nothing). */
export function activeFailures(state: ThrottleState, now: Date): number {
  if (!state) return 0;
  return now.getTime() - state.windowStartedAt.getTime() < THROTTLE_WINDOW_MS ? state.failures : 0;
}

/** Minutes until a blocked key may try again (at least 1). */
export function minutesUntilRetry(state: ThrottleState, now: Date): number {
  if (!state) return 0;
  const remaining = state.windowStartedAt.getTime() + THROTTLE_WINDOW_MS - now.getTime();
  return Math.max(1, Math.ceil(remaining / 60_000));
}
