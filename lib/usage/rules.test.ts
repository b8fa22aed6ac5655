import { describe, expect, it } from "vitest";
import {
  applyingPersonalLimit,
  blockedExplanation,
  figures,
  isUuid,
  ownLimitSourceLabel,
  ownStandingMessage,
  personalFigures,
  personalLimitView,
  remainingCredits,
  usageRequestHash,
} from "./rules";
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
    expect(remainingCredits(60n, 50n)).toBe(0n);
    expect(remainingCredits(10n, null)).toBeNull();
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

describe("applyingPersonalLimit (R18, R42: which personal limit applies, and its source)", () => {
  it("takes the member's own limit whenever they have one, larger or smaller than the group default", () => {
    expect(applyingPersonalLimit(500n, null)).toEqual({ limit: 500n, source: "personal" });
    expect(applyingPersonalLimit(500n, 10_000n)).toEqual({ limit: 500n, source: "personal" });
    expect(applyingPersonalLimit(50_000n, 10_000n)).toEqual({ limit: 50_000n, source: "personal" });
  });

  it("keeps an own limit of 0 (blocked) over any default", () => {
    expect(applyingPersonalLimit(0n, 10_000n)).toEqual({ limit: 0n, source: "personal" });
  });

  it("falls back to the billing group's default without an own limit, 0 included", () => {
    expect(applyingPersonalLimit(null, 10_000n)).toEqual({ limit: 10_000n, source: "billing_group_default" });
    expect(applyingPersonalLimit(null, 0n)).toEqual({ limit: 0n, source: "billing_group_default" });
  });

  it("has no limit and no source with neither (R18: blocked)", () => {
    expect(applyingPersonalLimit(null, null)).toEqual({ limit: null, source: null });
  });

  it("formats for the console and the API", () => {
    expect(personalLimitView(null, 12_550n)).toEqual({ limit: "125.5", source: "billing_group_default" });
    expect(personalLimitView(null, null)).toEqual({ limit: null, source: null });
    expect(personalFigures(2_500n, applyingPersonalLimit(null, 10_000n))).toEqual({
      used: "25",
      limit: "100",
      remaining: "75",
      limitSource: "billing_group_default",
    });
    expect(personalFigures(0n, applyingPersonalLimit(null, null))).toEqual({
      used: "0",
      limit: null,
      remaining: null,
      limitSource: null,
    });
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

describe("blockedExplanation with a billing group default (R42)", () => {
  const inherited = (used: bigint, limit: bigint) => personalFigures(used, applyingPersonalLimit(null, limit));
  const base = { billingGroup: { name: "Sales" }, group: figures(0n, null) };
  it("says the limit reached is the group's default", () => {
    expect(blockedExplanation({ ...base, reason: "personal_limit_reached", personal: inherited(100n, 100n) })).toBe(
      "Blocked: the default personal limit of billing group Sales is reached (1 of 1 Credits this period).",
    );
  });
  it("says a default of 0 blocks members without their own limit", () => {
    expect(
      blockedExplanation({ ...base, reason: "personal_limit_not_configured", personal: inherited(0n, 0n) }),
    ).toMatch(/no personal usage limit of their own and the default personal limit of billing group Sales is 0/);
  });
});

describe("My usage wording (issue 18)", () => {
  it("names where the applying limit comes from (R18, R42)", () => {
    expect(ownLimitSourceLabel("personal", "Sales")).toBe("Your own limit");
    expect(ownLimitSourceLabel("billing_group_default", "Sales")).toBe("Default of billing group Sales");
    expect(ownLimitSourceLabel(null, null)).toBe("No limit: you cannot use Credits");
  });

  it("says whether the member can use Credits and why not, without the group's figures", () => {
    const base = { remaining: "12.5", billingGroupName: "Sales" };
    expect(ownStandingMessage({ ...base, reason: null })).toBe("You can use Credits: 12.5 left this period.");
    expect(ownStandingMessage({ ...base, reason: "personal_limit_not_configured" })).toMatch(/above 0/);
    expect(ownStandingMessage({ ...base, reason: "personal_limit_reached" })).toMatch(/^You have used all/);
    expect(ownStandingMessage({ ...base, reason: "group_limit_reached" })).toBe(
      "Billing group Sales has reached its period usage limit: Credits are refused until an admin raises it or the next period starts.",
    );
  });
});
