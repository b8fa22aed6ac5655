import { describe, expect, it } from "vitest";
import { activeFailures, minutesUntilRetry, THROTTLE_WINDOW_MS } from "./throttle-rules";

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
