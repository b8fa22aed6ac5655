import { describe, expect, it } from "vitest";
import {
  afterFailedAttempt,
  DELIVERY_LEASE_MS,
  deliveryMessageId,
  leaseUntil,
  RETRY_WINDOW_MS,
  retryDelayMs,
} from "./rules";

describe("delivery retries (R39, R40, R41)", () => {
  it("backs off 1, 2, 4 … minutes up to an hour", () => {
    expect([1, 2, 3, 4, 7, 8, 50].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 2, 4, 8, 60, 60, 60]);
  });

  it("keeps retrying for 24 hours after the window opened, then gives up", () => {
    const queuedAt = new Date("2026-12-01T00:01:00Z");
    const early = afterFailedAttempt({ queuedAt, failedAttempts: 3, now: new Date("2026-12-01T00:10:00Z") });
    expect(early).toEqual({ status: "retrying", retryAt: new Date("2026-12-01T00:14:00Z") });
    const justBefore = new Date(queuedAt.getTime() + RETRY_WINDOW_MS - 1);
    expect(afterFailedAttempt({ queuedAt, failedAttempts: 30, now: justBefore }).status).toBe("retrying");
    const after = new Date(queuedAt.getTime() + RETRY_WINDOW_MS);
    expect(afterFailedAttempt({ queuedAt, failedAttempts: 31, now: after })).toEqual({ status: "failed" });
  });

  it("leases a claim for 15 minutes", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    expect(leaseUntil(now).getTime() - now.getTime()).toBe(DELIVERY_LEASE_MS);
    expect(DELIVERY_LEASE_MS).toBe(15 * 60_000);
  });

  it("writes a Message-ID on the sender's domain, stable for the delivery", () => {
    expect(deliveryMessageId("alert", "0f0e", "Finance <billing@example.com>")).toBe("<alert.0f0e@example.com>");
    expect(deliveryMessageId("alert", "0f0e", "billing@example.com")).toBe("<alert.0f0e@example.com>");
    expect(deliveryMessageId("alert", "0f0e", "nobody")).toBe("<alert.0f0e@ledgerline.invalid>");
  });
});
