import { describe, expect, it } from "vitest";
import {
  compareWithPreviousPeriod,
  cumulativeByDay,
  dayOfPeriod,
  daysInPeriod,
  nearestToLimit,
  periodsEndingWith,
  projectedEnd,
} from "./trends";

describe("R45 usage trends", () => {
  it("knows each month's length, leap years included", () => {
    expect([
      daysInPeriod("2026-02"),
      daysInPeriod("2028-02"),
      daysInPeriod("2026-12"),
      daysInPeriod("2026-11"),
    ]).toEqual([28, 29, 31, 30]);
  });

  it("runs totals day by day, carrying quiet days, ignoring days of other periods", () => {
    const days = cumulativeByDay(
      "2026-11",
      [
        { day: "2026-10-31", credits: 999n },
        { day: "2026-11-01", credits: 100n },
        { day: "2026-11-03", credits: 50n },
        { day: "2026-11-05", credits: 7n },
      ],
      4,
    );
    expect(days.map((d) => [d.day, d.cumulative])).toEqual([
      [1, 100n],
      [2, 100n],
      [3, 150n],
      [4, 150n],
    ]);
    expect(days[2]!.date).toBe("2026-11-03");
  });

  it("places now in the period: its day, the last day once over, 0 before it", () => {
    expect(dayOfPeriod("2026-11", new Date("2026-11-17T23:59:00Z"))).toBe(17);
    expect(dayOfPeriod("2026-11", new Date("2026-12-04T00:00:00Z"))).toBe(30);
    expect(dayOfPeriod("2026-11", new Date("2026-10-31T23:59:59Z"))).toBe(0);
  });

  it("compares this period with the previous one through the same day (clamped to a shorter month)", () => {
    const daily = [
      { day: "2026-02-27", credits: 300n },
      { day: "2026-02-28", credits: 100n },
      { day: "2026-03-02", credits: 200n },
      { day: "2026-03-30", credits: 600n },
    ];
    const early = compareWithPreviousPeriod("2026-03", daily, new Date("2026-03-02T10:00:00Z"));
    expect(early).toEqual({ day: 2, thisPeriod: 200n, previousPeriod: 0n, changePercent: null });
    const late = compareWithPreviousPeriod("2026-03", daily, new Date("2026-03-30T10:00:00Z"));
    expect(late).toMatchObject({ day: 30, thisPeriod: 800n, previousPeriod: 400n, changePercent: 100 });
    const down = compareWithPreviousPeriod(
      "2026-03",
      [...daily, { day: "2026-02-01", credits: 1200n }],
      new Date("2026-03-30T10:00:00Z"),
    );
    expect(down.changePercent).toBe(-50);
  });

  it("projects the end of a running period at its pace so far, and nothing for one that is over", () => {
    // Half of a 30-day month gone, 150 used: 300 at the end.
    expect(projectedEnd("2026-11", 150n, new Date("2026-11-16T00:00:00Z"))).toBe(300n);
    expect(projectedEnd("2026-11", 150n, new Date("2026-12-01T00:00:00Z"))).toBeNull();
  });

  it("lists the last 12 periods oldest first, across a year", () => {
    expect(periodsEndingWith("2026-03", 12)).toEqual([
      "2025-04",
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
    ]);
  });

  it("ranks groups by the share of their limit used, exactly, then by name", () => {
    const ranked = nearestToLimit(
      [
        { name: "B", used: 90n, limit: 100n },
        { name: "A", used: 900n, limit: 1000n },
        { name: "C", used: 1n, limit: 3n },
        { name: "D", used: 101n, limit: 100n },
      ],
      3,
    );
    expect(ranked.map((g) => g.name)).toEqual(["D", "A", "B"]);
  });
});
