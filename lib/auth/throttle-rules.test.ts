import { describe, expect, it } from "vitest";
import {
  activeFailures,
  decideSignInAttempt,
  isKnownAddress,
  KNOWN_ADDRESS_MS,
  MAX_DELAY_MS,
  minutesUntilRetry,
  progressiveDelayMs,
  THROTTLE_WINDOW_MS,
  type ThrottleStates,
} from "./throttle-rules";

const start = new Date("2026-11-24T10:00:00Z");

describe("sign-in throttle rules", () => {
  it("counts failures inside the window only", () => {
    expect(activeFailures(null, start)).toBe(0);
    expect(activeFailures({ windowStartedAt: start, failures: 4 }, new Date(start.getTime() + 60_000))).toBe(4);
    expect(
      activeFailures({ windowStartedAt: start, failures: 4 }, new Date(start.getTime() + THROTTLE_WINDOW_MS)),
    ).toBe(0);
  });

  it("tells how long until the next try", () => {
    expect(minutesUntilRetry({ windowStartedAt: start, failures: 5 }, new Date(start.getTime() + 60_000))).toBe(14);
    expect(
      minutesUntilRetry({ windowStartedAt: start, failures: 5 }, new Date(start.getTime() + THROTTLE_WINDOW_MS - 1)),
    ).toBe(1);
  });
});

describe("sign-in attempt decisions (R47, issue 22 item 2)", () => {
  const at = new Date(start.getTime() + 60_000);
  const fresh: ThrottleStates = { accountAtAddress: null, address: null, account: null, knownAddressSince: null };
  const failures = (n: number) => ({ windowStartedAt: start, failures: n });

  it("allows a first attempt with no delay", () => {
    expect(decideSignInAttempt(fresh, at)).toEqual({ allowed: true, delayMs: 0, locksOnFailure: null });
  });

  it("refuses the sixth attempt on an account from one address, and says which attempt locks", () => {
    expect(decideSignInAttempt({ ...fresh, accountAtAddress: failures(4) }, at)).toMatchObject({
      allowed: true,
      locksOnFailure: "accountAtAddress",
    });
    expect(decideSignInAttempt({ ...fresh, accountAtAddress: failures(5) }, at)).toEqual({
      allowed: false,
      counter: "accountAtAddress",
      minutes: 14,
    });
  });

  it("refuses an address after 50 failures across accounts", () => {
    expect(decideSignInAttempt({ ...fresh, address: failures(50) }, at)).toMatchObject({
      allowed: false,
      counter: "address",
    });
  });

  it("slows, then stops, an account attacked from many addresses — except from an address it signed in from", () => {
    expect(decideSignInAttempt({ ...fresh, account: failures(4) }, at)).toMatchObject({ allowed: true, delayMs: 0 });
    expect(decideSignInAttempt({ ...fresh, account: failures(6) }, at)).toMatchObject({ allowed: true, delayMs: 500 });
    expect(decideSignInAttempt({ ...fresh, account: failures(99) }, at)).toMatchObject({
      allowed: true,
      delayMs: MAX_DELAY_MS,
      locksOnFailure: "account",
    });
    expect(decideSignInAttempt({ ...fresh, account: failures(100) }, at)).toMatchObject({
      allowed: false,
      counter: "account",
    });
    const known = { ...fresh, account: failures(100), knownAddressSince: new Date(start.getTime() - 86_400_000) };
    expect(decideSignInAttempt(known, at)).toEqual({ allowed: true, delayMs: 0, locksOnFailure: null });
    // ...but the account-at-address limit still applies to the known address.
    expect(decideSignInAttempt({ ...known, accountAtAddress: failures(5) }, at)).toMatchObject({ allowed: false });
  });

  it("forgets a known address after 30 days", () => {
    const since = new Date(at.getTime() - KNOWN_ADDRESS_MS);
    expect(isKnownAddress(since, at)).toBe(false);
    expect(isKnownAddress(new Date(since.getTime() + 1), at)).toBe(true);
    expect(isKnownAddress(null, at)).toBe(false);
  });

  it("doubles the delay per account-wide failure up to the cap", () => {
    expect([0, 4, 5, 6, 7, 8, 9, 10, 50].map(progressiveDelayMs)).toEqual([
      0,
      0,
      250,
      500,
      1000,
      2000,
      4000,
      MAX_DELAY_MS,
      MAX_DELAY_MS,
    ]);
  });

  it("counts a stale window as nothing", () => {
    const later = new Date(start.getTime() + THROTTLE_WINDOW_MS);
    expect(decideSignInAttempt({ ...fresh, accountAtAddress: failures(5), account: failures(100) }, later)).toEqual({
      allowed: true,
      delayMs: 0,
      locksOnFailure: null,
    });
  });
});
