import { describe, expect, it } from "vitest";
import { formatPeriodLabel, isPeriod, periodOf, periodsSince, resolvePeriod } from "./rules";

describe("periods (R16)", () => {
  it("keys a period by the UTC calendar month", () => {
    expect(periodOf(new Date("2026-10-31T23:59:59.999Z"))).toBe("2026-10");
    expect(periodOf(new Date("2026-11-01T00:00:00.000Z"))).toBe("2026-11");
  });

  it("lists the current period first and every earlier one back to the org's creation", () => {
    expect(periodsSince(new Date("2025-11-15T10:00:00Z"), "2026-02")).toEqual([
      "2026-02",
      "2026-01",
      "2025-12",
      "2025-11",
    ]);
    expect(periodsSince(new Date("2026-02-01T00:00:00Z"), "2026-02")).toEqual(["2026-02"]);
  });

  it("validates period keys", () => {
    expect(isPeriod("2026-10")).toBe(true);
    for (const bad of ["2026-13", "2026-00", "2026-1", "26-10", "2026-10-01", "", null])
      expect(isPeriod(bad)).toBe(false);
  });

  it("falls back to the current period for an unknown or malformed ?period=", () => {
    const available = ["2026-11", "2026-10"];
    expect(resolvePeriod("2026-10", available, "2026-11")).toBe("2026-10");
    expect(resolvePeriod("2020-01", available, "2026-11")).toBe("2026-11");
    expect(resolvePeriod("drop table", available, "2026-11")).toBe("2026-11");
    expect(resolvePeriod(undefined, available, "2026-11")).toBe("2026-11");
  });

  it("labels the current period with (current)", () => {
    expect(formatPeriodLabel("2026-11", "2026-11")).toBe("November 2026 (current)");
    expect(formatPeriodLabel("2026-10", "2026-11")).toBe("October 2026");
  });
});
