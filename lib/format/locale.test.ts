import { describe, expect, it } from "vitest";
import { displayCredits, localeFromAcceptLanguage } from "./locale";

describe("display locale", () => {
  it("takes the browser's preferred language it can format, by q-value", () => {
    expect(localeFromAcceptLanguage("de-DE,de;q=0.9,en;q=0.8")).toBe("de-DE");
    expect(localeFromAcceptLanguage("en;q=0.5, fr-CH")).toBe("fr-CH");
  });

  it("falls back to English for nothing, a wildcard, or nonsense", () => {
    expect(localeFromAcceptLanguage(undefined)).toBe("en-US");
    expect(localeFromAcceptLanguage("*")).toBe("en-US");
    expect(localeFromAcceptLanguage(";;,,q=")).toBe("en-US");
    expect(localeFromAcceptLanguage("x-klingon-123456789")).toBe("en-US");
  });
});

describe("Credits for reading", () => {
  it("groups thousands and always shows two decimals", () => {
    expect(displayCredits("10000")).toBe("10,000.00");
    expect(displayCredits("18.3")).toBe("18.30");
    expect(displayCredits("48.58")).toBe("48.58");
    expect(displayCredits("0")).toBe("0.00");
  });

  it("follows the locale's separators", () => {
    expect(displayCredits("1234567.5", "de-DE")).toBe("1.234.567,50");
  });

  it("keeps every digit of the largest amount accepted (1 trillion Credits)", () => {
    expect(displayCredits("999999999999.99")).toBe("999,999,999,999.99");
  });
});
