import { describe, expect, it } from "vitest";
import { formatCredits, MAX_CREDITS_HUNDREDTHS, parseCredits, parseCreditsInput } from "./rules";
import { creditsLimitField } from "./schemas";

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

describe("typed Credits: what is wrong with them (R37)", () => {
  it("tells a negative amount and one too large from one that is not a number", () => {
    expect(parseCreditsInput(" 12.5 ")).toEqual({ value: 1250n });
    expect(parseCreditsInput("0")).toEqual({ value: 0n });
    for (const negative of ["-1", "-0.5", " - 3"])
      expect(parseCreditsInput(negative), negative).toEqual({ problem: "negative" });
    for (const large of ["1000000000000.01", "10000000000000", "9".repeat(30)])
      expect(parseCreditsInput(large), large).toEqual({ problem: "too_large" });
    for (const bad of ["", "abc", "1.234", "1e3", "1,5", "--1", "-1.234", "１２"])
      expect(parseCreditsInput(bad), bad).toEqual({ problem: "format" });
  });

  it("gives each problem its own message in a form field; empty is none", () => {
    const field = creditsLimitField({ example: "100 or 12.5", ifEmpty: "for no default" });
    const message = (text: string) => field.safeParse(text).error?.issues[0]?.message;
    expect(field.parse("")).toBeNull();
    expect(field.parse(" 0 ")).toBe(0n);
    expect(field.parse("100")).toBe(10_000n);
    expect(message("-5")).toBe("Enter 0 or more Credits, or leave it empty for no default.");
    expect(message("12.345")).toBe("Enter Credits as a number with at most 2 decimals, e.g. 100 or 12.5.");
    expect(message("lots")).toBe("Enter Credits as a number with at most 2 decimals, e.g. 100 or 12.5.");
    expect(message("1000000000001")).toBe("Enter at most 1,000,000,000,000 Credits.");
  });

  it("refuses 0 where the limit must be positive", () => {
    const field = creditsLimitField({ example: "1500", ifEmpty: "for no limit", positive: true });
    expect(field.safeParse("0").error?.issues[0]?.message).toBe(
      "Enter a limit greater than 0, or leave it empty for no limit.",
    );
    expect(field.parse("0.01")).toBe(1n);
  });
});
