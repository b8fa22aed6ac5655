import { describe, expect, it } from "vitest";
import { sessionStillValid } from "./session-rules";

describe("session cutoff", () => {
  const cutoff = new Date("2026-11-24T10:00:00.700Z");
  const seconds = Math.floor(cutoff.getTime() / 1000);

  it("keeps sessions when no cutoff was ever set", () => {
    expect(sessionStillValid(123, null)).toBe(true);
  });

  it("ends sessions issued before the cutoff, keeps ones issued at or after it", () => {
    expect(sessionStillValid(seconds - 1, cutoff)).toBe(false);
    expect(sessionStillValid(seconds, cutoff)).toBe(true);
    expect(sessionStillValid(seconds + 60, cutoff)).toBe(true);
  });

  it("refuses a session without an issue time once a cutoff exists", () => {
    expect(sessionStillValid(undefined, cutoff)).toBe(false);
  });
});
