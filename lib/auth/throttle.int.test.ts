import { afterEach, describe, expect, it } from "vitest";
import { setClock } from "@/lib/clock";
import { testDb } from "@/tests/support/db";
import { clearAccountFailures, recordSignInFailure, signInBlockedFor, throttleKeys } from "./throttle";

afterEach(() => setClock(null));

describe("sign-in throttle", () => {
  it("blocks an account after 5 failures for the rest of the 15-minute window, then lets it try again", async () => {
    setClock(new Date("2026-11-24T10:00:00Z"));
    const keys = throttleKeys(`victim-${Date.now()}@example.test`, null);
    for (let i = 0; i < 4; i++) await recordSignInFailure(testDb(), keys);
    expect(await signInBlockedFor(testDb(), keys)).toBeNull();
    await recordSignInFailure(testDb(), keys);
    expect(await signInBlockedFor(testDb(), keys)).toBe(15);
    setClock(new Date("2026-11-24T10:10:30Z"));
    expect(await signInBlockedFor(testDb(), keys)).toBe(5);
    setClock(new Date("2026-11-24T10:15:00Z"));
    expect(await signInBlockedFor(testDb(), keys)).toBeNull();
    // A failure after the window starts a new count of one.
    await recordSignInFailure(testDb(), keys);
    expect(await signInBlockedFor(testDb(), keys)).toBeNull();
  });

  it("blocks a client address after 50 failures across accounts", async () => {
    setClock(new Date("2026-11-24T11:00:00Z"));
    const address = `203.0.113.${Date.now() % 250}`;
    for (let i = 0; i < 50; i++)
      await recordSignInFailure(testDb(), throttleKeys(`user${i}-${Date.now()}@example.test`, address));
    expect(await signInBlockedFor(testDb(), throttleKeys("fresh@example.test", address))).toBe(15);
    expect(await signInBlockedFor(testDb(), throttleKeys("fresh@example.test", "198.51.100.1"))).toBeNull();
  });

  it("a successful sign-in clears the account's failures", async () => {
    const keys = throttleKeys(`ok-${Date.now()}@example.test`, null);
    for (let i = 0; i < 5; i++) await recordSignInFailure(testDb(), keys);
    expect(await signInBlockedFor(testDb(), keys)).not.toBeNull();
    await clearAccountFailures(testDb(), keys);
    expect(await signInBlockedFor(testDb(), keys)).toBeNull();
  });
});
