// Sign-in throttling: pure rules, so they are unit-tested without a database.
//
// R47, issue 22 item 2. Failures are counted three ways in fixed 15-minute windows:
// - per account AT an address: 5 — the usual lock, and the only one a single stranger can reach
//   for someone else's account, and only from the stranger's own address;
// - per address, across accounts: 50 — one source spraying many accounts;
// - per account, across addresses: 100 — a ceiling against a botnet, with a progressive delay on
//   the way there; an address the account signed in from successfully in the last 30 days is
//   exempt from both, so a stranger cannot lock an admin out of their own address.
// Every attempt is counted (reserved) before the password is checked and released on success.

/** The error code sign-in reports when throttled, followed by `:<minutes>`. */
export const RATE_LIMITED = "rate_limited";

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES = { accountAtAddress: 5, address: 50, account: 100 } as const;
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60 * 1000;
/** Account-wide failures (in the window) before attempts from unfamiliar addresses slow down. */
export const DELAY_AFTER_FAILURES = 5;
export const MAX_DELAY_MS = 5_000;

export type ThrottleState = { windowStartedAt: Date; failures: number } | null;
export type ThrottleCounter = keyof typeof MAX_FAILURES;

export type ThrottleStates = Record<ThrottleCounter, ThrottleState> & {
  /** When this account last signed in successfully from this address, if ever. */
  knownAddressSince: Date | null;
};

export type ThrottleDecision =
  | {
      allowed: true;
      /** Wait this long before checking the password. */
      delayMs: number;
      /** The counter this attempt brings to its limit should it fail (the lockout to audit). */
      locksOnFailure: ThrottleCounter | null;
    }
  | { allowed: false; counter: ThrottleCounter; minutes: number };

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

export function isKnownAddress(since: Date | null, now: Date): boolean {
  return since !== null && now.getTime() - since.getTime() < KNOWN_ADDRESS_MS;
}

/** 0 up to DELAY_AFTER_FAILURES account-wide failures, then 250 ms doubling per failure, capped. */
export function progressiveDelayMs(accountFailures: number): number {
  if (accountFailures < DELAY_AFTER_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, 250 * 2 ** (accountFailures - DELAY_AFTER_FAILURES));
}

/** Whether an attempt may go on to the password check, judged before it is counted. */
export function decideSignInAttempt(states: ThrottleStates, now: Date): ThrottleDecision {
  const known = isKnownAddress(states.knownAddressSince, now);
  const counters: ThrottleCounter[] = known
    ? ["accountAtAddress", "address"]
    : ["accountAtAddress", "address", "account"];
  let locksOnFailure: ThrottleCounter | null = null;
  for (const counter of counters) {
    const failures = activeFailures(states[counter], now);
    if (failures >= MAX_FAILURES[counter])
      return { allowed: false, counter, minutes: minutesUntilRetry(states[counter], now) };
    if (failures + 1 === MAX_FAILURES[counter]) locksOnFailure ??= counter;
  }
  const delayMs = known ? 0 : progressiveDelayMs(activeFailures(states.account, now));
  return { allowed: true, delayMs, locksOnFailure };
}
