import { describe, expect, it } from "vitest";
import { blockedExplanation, figures, isUuid, usageRequestHash } from "./rules";
import { usageEventSchema } from "./schemas";

describe("usage rules", () => {
  it("hashes what an event means, not how it was spelled", () => {
    expect(usageRequestHash({ member: "A@x.test ", credits: 150n })).toBe(
      usageRequestHash({ member: "a@x.test", credits: 150n }),
    );
    expect(usageRequestHash({ member: "a@x.test", credits: 150n })).not.toBe(
      usageRequestHash({ member: "a@x.test", credits: 151n }),
    );
  });

  it("reports used/limit/remaining as decimal strings", () => {
    expect(figures(1250n, 5000n)).toEqual({ used: "12.5", limit: "50", remaining: "37.5" });
    expect(figures(10n, null)).toEqual({ used: "0.1", limit: null, remaining: null });
    expect(figures(60n, 50n).remaining).toBe("0");
  });

  it("recognises member ids", () => {
    expect(isUuid("0b7c6a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21")).toBe(true);
    expect(isUuid("someone@example.com")).toBe(false);
  });
});

describe("usage event schema", () => {
  const valid = { member: "a@x.test", credits: "1.25", idempotencyKey: "k1" };
  it("accepts decimal strings and numbers as exact hundredths", () => {
    expect(usageEventSchema.parse(valid).credits).toBe(125n);
    expect(usageEventSchema.parse({ ...valid, credits: 3 }).credits).toBe(300n);
  });
  it.each([["0"], ["-1"], ["1.234"], ["abc"], ["1e3"], ["10000000000000"], [""], [null]])(
    "refuses credits %s",
    (credits) => {
      expect(usageEventSchema.safeParse({ ...valid, credits }).success).toBe(false);
    },
  );
  it("bounds the idempotency key and requires a member", () => {
    expect(usageEventSchema.safeParse({ ...valid, idempotencyKey: "" }).success).toBe(false);
    expect(usageEventSchema.safeParse({ ...valid, idempotencyKey: "k".repeat(201) }).success).toBe(false);
    expect(usageEventSchema.safeParse({ ...valid, idempotencyKey: "k".repeat(200) }).success).toBe(true);
    expect(usageEventSchema.safeParse({ ...valid, member: " " }).success).toBe(false);
    expect(usageEventSchema.safeParse({ ...valid, extra: 1 }).success).toBe(false);
  });
});

describe("blockedExplanation (why a member cannot use Credits)", () => {
  const base = { billingGroup: { name: "Sales" }, personal: figures(5000n, 5000n), group: figures(100n, 100n) };
  it("explains each reason with its figures, and nothing when the member can use Credits", () => {
    expect(blockedExplanation({ ...base, reason: null })).toBeNull();
    expect(blockedExplanation({ ...base, reason: "personal_limit_not_configured" })).toMatch(/no personal usage limit/);
    expect(blockedExplanation({ ...base, reason: "personal_limit_reached" })).toBe(
      "Blocked: the personal usage limit is reached (50 of 50 Credits this period).",
    );
    expect(blockedExplanation({ ...base, reason: "group_limit_reached" })).toBe(
      "Blocked: billing group Sales has reached its period usage limit (1 of 1 Credits).",
    );
  });
});
