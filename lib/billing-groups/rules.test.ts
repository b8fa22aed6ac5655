import { describe, expect, it } from "vitest";
import {
  formatTimestamp,
  isOverLimit,
  isReservedBillingGroupName,
  nextSort,
  parseListSort,
  usagePercent,
} from "./rules";
import { periodLimitSchema, billingGroupNameSchema } from "./schemas";

describe("billing group rules", () => {
  it("reserves Unassigned in any case and spacing (R10)", () => {
    expect(isReservedBillingGroupName(" unASSIGNED ")).toBe(true);
    expect(isReservedBillingGroupName("Unassigned team")).toBe(false);
  });

  it("parses sort params with safe defaults (R14)", () => {
    expect(parseListSort(undefined, undefined)).toEqual({ key: "name", direction: "asc" });
    expect(parseListSort("usage", undefined)).toEqual({ key: "usage", direction: "desc" });
    expect(parseListSort("members", "asc")).toEqual({ key: "members", direction: "asc" });
    expect(parseListSort("drop table", "x")).toEqual({ key: "name", direction: "asc" });
    expect(nextSort({ key: "name", direction: "asc" }, "name")).toEqual({ key: "name", direction: "desc" });
    expect(nextSort({ key: "name", direction: "asc" }, "usage")).toEqual({ key: "usage", direction: "desc" });
  });

  it("computes over-limit state and the progress value (R19)", () => {
    expect(isOverLimit(101n, 100n)).toBe(true);
    expect(isOverLimit(100n, 100n)).toBe(false);
    expect(isOverLimit(5n, null)).toBe(false);
    expect(usagePercent(50n, 200n)).toBe(25);
    expect(usagePercent(500n, 200n)).toBe(100);
    expect(usagePercent(1n, null)).toBeNull();
  });

  it("formats timestamps in UTC", () => {
    expect(formatTimestamp(new Date("2026-03-04T05:06:07Z"))).toBe("2026-03-04 05:06 UTC");
  });
});

describe("billing group schemas", () => {
  it("validates names (R11)", () => {
    expect(billingGroupNameSchema.safeParse("  Ops  ").data).toBe("Ops");
    expect(billingGroupNameSchema.safeParse("   ").success).toBe(false);
    expect(billingGroupNameSchema.safeParse("x".repeat(101)).success).toBe(false);
    expect(billingGroupNameSchema.safeParse("unassigned").success).toBe(false);
  });

  it("parses period limits: ≤ 2 decimals, > 0, empty clears (R19)", () => {
    expect(periodLimitSchema.safeParse("12.5").data).toBe(1250n);
    expect(periodLimitSchema.safeParse("").data).toBeNull();
    expect(periodLimitSchema.safeParse("0").success).toBe(false);
    expect(periodLimitSchema.safeParse("1.234").success).toBe(false);
    expect(periodLimitSchema.safeParse("-3").success).toBe(false);
  });
});
