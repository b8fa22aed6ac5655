import { describe, expect, it } from "vitest";
import {
  isClosedPeriod,
  periodEnd,
  periodJustClosed,
  periodStart,
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

  it("writes the subject exactly and a Message-ID on the sender's domain", () => {
    expect(statementSubject("Research, EU", "2026-11")).toBe("Ledgerline statement: Research, EU, 2026-11");
    expect(statementMessageId("0f0e", "Finance <billing@example.com>")).toBe("<statement.0f0e@example.com>");
    expect(statementMessageId("0f0e", "billing@example.com")).toBe("<statement.0f0e@example.com>");
  });
});
