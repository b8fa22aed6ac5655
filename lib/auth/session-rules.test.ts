import { describe, expect, it } from "vitest";
import { sessionStillValid } from "./session-rules";

describe("session cutoff", () => {
  const cutoff = new Date("2026-11-24T10:00:00.700Z");
  const seconds = Math.floor(cutoff.getTime() / 1000);

  it("keeps sessions when no cutoff was ever set", () => {
    expect(sessionStillValid(123, null)).toBe(true);
  });

  it("ends sessions signed in before the cutoff, keeps ones signed in after it", () => {
    expect(sessionStillValid(seconds - 1, cutoff)).toBe(false);
    // Issue 22 item 4: the cutoff's own second no longer counts as "after" (was accepted).
    expect(sessionStillValid(seconds, cutoff)).toBe(false);
    expect(sessionStillValid(seconds + 60, cutoff)).toBe(true);
  });

  it("refuses a session without an issue time once a cutoff exists", () => {
    expect(sessionStillValid(undefined, cutoff)).toBe(false);
  });
});

describe("session cutoff at sub-second precision (issue 22 item 4)", () => {
  const cutoff = new Date("2026-11-24T10:00:00.700Z");
  const at = (iso: string) => new Date(iso).getTime() / 1000;

  it("compares with > to the millisecond", () => {
    expect(sessionStillValid(at("2026-11-24T10:00:00.699Z"), cutoff)).toBe(false);
    expect(sessionStillValid(at("2026-11-24T10:00:00.700Z"), cutoff)).toBe(false);
    expect(sessionStillValid(at("2026-11-24T10:00:00.701Z"), cutoff)).toBe(true);
  });

  it("refuses a malformed sign-in time once a cutoff exists", () => {
    expect(sessionStillValid(Number.NaN, cutoff)).toBe(false);
    expect(sessionStillValid(Number.POSITIVE_INFINITY, cutoff)).toBe(false);
  });
});
