import { describe, expect, it } from "vitest";
import {
  alertThresholdsSchema,
  forecastExceeds,
  formatThresholds,
  projectUsage,
  thresholdReached,
  thresholdTransitions,
} from "./rules";

const parse = (input: unknown) => alertThresholdsSchema.safeParse(input);
const message = (input: unknown) => parse(input).error?.issues[0]?.message;

describe("alert thresholds (R40)", () => {
  it("accepts typed text and arrays, sorted", () => {
    expect(parse("75, 90, 100").data).toEqual([75, 90, 100]);
    expect(parse(" 100,90 75 ").data).toEqual([75, 90, 100]);
    expect(parse("50%, 80%").data).toEqual([50, 80]);
    expect(parse([90, "75"]).data).toEqual([75, 90]);
    expect(parse("1, 2, 3, 4, 100").data).toEqual([1, 2, 3, 4, 100]);
    expect(formatThresholds([75, 90, 100])).toBe("75, 90, 100");
  });

  it("refuses empty, too many, out of range, fractions, duplicates and junk with field messages", () => {
    expect(message("")).toMatch(/1 to 5 percents/);
    expect(message([])).toMatch(/1 to 5 percents/);
    expect(message("10, 20, 30, 40, 50, 60")).toMatch(/1 to 5 percents/);
    expect(message("0, 150")).toMatch(/whole number from 1 to 100/);
    expect(message("101")).toMatch(/whole number from 1 to 100/);
    expect(message("-5")).toMatch(/whole number from 1 to 100/);
    expect(message("75.5")).toMatch(/whole number from 1 to 100/);
    expect(message("abc")).toMatch(/whole number from 1 to 100/);
    expect(message([1.5])).toMatch(/whole number from 1 to 100/);
    expect(message([true])).toMatch(/whole number from 1 to 100/);
    expect(message("90, 90")).toBe("90 is listed twice. List each threshold once.");
    expect(message(null)).toMatch(/1 to 5 percents/);
    expect(message({ 0: 50 })).toMatch(/1 to 5 percents/);
  });

  it("reaches a threshold at exactly its share of the limit, never without a limit", () => {
    expect(thresholdReached(7_500n, 75, 10_000n)).toBe(true);
    expect(thresholdReached(7_499n, 75, 10_000n)).toBe(false);
    expect(thresholdReached(1n, 1, 100n)).toBe(true);
    expect(thresholdReached(10n ** 12n, 100, null)).toBe(false);
  });
});

describe("thresholdTransitions (R40)", () => {
  const at = (limit: bigint | null, thresholds = [75, 90, 100]) => ({ limit, thresholds });

  it("a raised limit resolves the thresholds usage is now below", () => {
    expect(thresholdTransitions({ used: 9_500n, before: at(10_000n), after: at(20_000n) })).toEqual({
      crossed: [],
      resolved: [75, 90],
    });
  });

  it("a cut limit crosses the thresholds usage now reaches, once", () => {
    expect(thresholdTransitions({ used: 8_000n, before: at(10_000n), after: at(8_000n) })).toEqual({
      crossed: [90, 100],
      resolved: [],
    });
    expect(thresholdTransitions({ used: 8_000n, before: at(8_000n), after: at(8_000n) })).toEqual({
      crossed: [],
      resolved: [],
    });
  });

  it("a first limit crosses what usage already reaches; a cleared limit resolves every crossed one", () => {
    expect(thresholdTransitions({ used: 9_000n, before: at(null), after: at(10_000n) })).toEqual({
      crossed: [75, 90],
      resolved: [],
    });
    expect(thresholdTransitions({ used: 9_000n, before: at(10_000n), after: at(null) })).toEqual({
      crossed: [],
      resolved: [75, 90],
    });
  });

  it("threshold edits: a new reached one crosses, a removed one is neither, a kept one stays", () => {
    expect(thresholdTransitions({ used: 8_500n, before: at(10_000n, [75, 90]), after: at(10_000n, [50, 90]) })).toEqual(
      { crossed: [50], resolved: [] },
    );
    expect(thresholdTransitions({ used: 8_500n, before: at(10_000n, [75, 90]), after: at(10_000n, [75, 90]) })).toEqual(
      { crossed: [], resolved: [] },
    );
  });
});

describe("forecast (R40)", () => {
  const start = new Date("2026-04-01T00:00:00Z");
  const end = new Date("2026-05-01T00:00:00Z");

  it("projects linearly to the end of the period, in hundredths rounded down", () => {
    expect(projectUsage(1_000n, start, end, new Date("2026-04-04T00:00:00Z"))).toBe(10_000n);
    expect(projectUsage(1_000n, start, end, new Date("2026-04-16T00:00:00Z"))).toBe(2_000n);
    expect(projectUsage(100n, start, end, new Date("2026-04-08T00:00:00Z"))).toBe(428n);
    expect(projectUsage(100n, start, end, start)).toBe(100n);
    expect(projectUsage(100n, start, end, end)).toBe(100n);
  });

  it("fires only from 10 % used and when the projection reaches the limit", () => {
    expect(forecastExceeds(1_000n, 10_000n, 10_000n)).toBe(true);
    expect(forecastExceeds(999n, 10_000n, 50_000n)).toBe(false);
    expect(forecastExceeds(5_000n, 10_000n, 9_999n)).toBe(false);
    expect(forecastExceeds(5_000n, null, 99_999n)).toBe(false);
  });
});
