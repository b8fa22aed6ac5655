import { describe, expect, it } from "vitest";
import {
  afterFailedAttempt,
  isClosedPeriod,
  periodEnd,
  periodJustClosed,
  periodStart,
  retryDelayMs,
  RETRY_WINDOW_MS,
  statementMessageId,
  statementSubject,
} from "./rules";

describe("statement timing (R39)", () => {
  it("mails the period that ended at the last UTC month boundary", () => {
    expect(periodJustClosed(new Date("2026-12-01T00:00:30Z"))).toBe("2026-11");
    expect(periodJustClosed(new Date("2026-11-30T23:59:59.999Z"))).toBe("2026-10");
    expect(periodJustClosed(new Date("2027-01-01T00:01:00Z"))).toBe("2026-12");
  });

  it("knows where a period begins and ends", () => {
    expect(periodStart("2026-11").toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(periodEnd("2026-12").toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("allows Send Statement only for closed periods", () => {
    const now = new Date("2026-12-02T10:00:00Z");
    expect(isClosedPeriod("2026-11", now)).toBe(true);
    expect(isClosedPeriod("2026-12", now)).toBe(false);
    expect(isClosedPeriod("2027-01", now)).toBe(false);
  });

  it("backs off 1, 2, 4 … minutes up to an hour", () => {
    expect([1, 2, 3, 4, 7, 8, 50].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 2, 4, 8, 60, 60, 60]);
  });

  it("keeps retrying for 24 hours after the delivery was queued, then gives up", () => {
    const queuedAt = new Date("2026-12-01T00:01:00Z");
    const early = afterFailedAttempt({ queuedAt, failedAttempts: 3, now: new Date("2026-12-01T00:10:00Z") });
    expect(early).toEqual({ status: "retrying", retryAt: new Date("2026-12-01T00:14:00Z") });
    const justBefore = new Date(queuedAt.getTime() + RETRY_WINDOW_MS - 1);
    expect(afterFailedAttempt({ queuedAt, failedAttempts: 30, now: justBefore }).status).toBe("retrying");
    const after = new Date(queuedAt.getTime() + RETRY_WINDOW_MS);
    expect(afterFailedAttempt({ queuedAt, failedAttempts: 31, now: after })).toEqual({ status: "failed" });
  });

  it("writes the subject exactly and a Message-ID on the sender's domain", () => {
    expect(statementSubject("Research, EU", "2026-11")).toBe("Ledgerline statement: Research, EU, 2026-11");
    expect(statementMessageId("0f0e", "Finance <billing@example.com>")).toBe("<statement.0f0e@example.com>");
    expect(statementMessageId("0f0e", "billing@example.com")).toBe("<statement.0f0e@example.com>");
  });
});
