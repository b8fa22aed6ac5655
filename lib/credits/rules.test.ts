import { describe, expect, it } from "vitest";
import { formatCredits, MAX_CREDITS_HUNDREDTHS, parseCredits } from "./rules";

describe("Credits (R17)", () => {
  it("parses decimals with at most two fractional digits into hundredths", () => {
    expect(parseCredits("12")).toBe(1200n);
    expect(parseCredits("12.5")).toBe(1250n);
    expect(parseCredits("0.25")).toBe(25n);
    expect(parseCredits(" 3.10 ")).toBe(310n);
    expect(parseCredits(1.5)).toBe(150n);
  });

  it("rejects anything else", () => {
    for (const bad of ["", "1.234", "-1", "1e3", "1,5", "abc", "1.", ".5", "0x10", "１２"])
      expect(parseCredits(bad)).toBeNull();
    expect(parseCredits(Number.NaN)).toBeNull();
    expect(parseCredits("1000000000001")).toBeNull();
    expect(parseCredits("1000000000000")).toBe(MAX_CREDITS_HUNDREDTHS);
  });

  it("formats plain decimals without trailing zeros or grouping (R25)", () => {
    expect(formatCredits(1250n)).toBe("12.5");
    expect(formatCredits(300n)).toBe("3");
    expect(formatCredits(25n)).toBe("0.25");
    expect(formatCredits(5n)).toBe("0.05");
    expect(formatCredits(0n)).toBe("0");
    expect(formatCredits(123456789012n)).toBe("1234567890.12");
  });

  it("round-trips", () => {
    for (const text of ["0.01", "0.1", "1", "99.99", "1000000"]) expect(formatCredits(parseCredits(text)!)).toBe(text);
  });
});
