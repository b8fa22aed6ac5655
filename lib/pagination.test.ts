import { describe, expect, it } from "vitest";
import { clampPage, pageHrefFrom } from "./pagination";

describe("clampPage", () => {
  it("keeps a page within 1…last page", () => {
    expect(clampPage("2", 120, 50)).toBe(2);
    expect(clampPage("3", 120, 50)).toBe(3);
    expect(clampPage("4", 120, 50)).toBe(3);
    expect(clampPage("0", 120, 50)).toBe(1);
    expect(clampPage("-5", 120, 50)).toBe(1);
  });
  it("falls back to the first page for anything that is not a number", () => {
    expect(clampPage(undefined, 120, 50)).toBe(1);
    expect(clampPage("abc", 120, 50)).toBe(1);
    expect(clampPage(["2"], 120, 50)).toBe(2);
  });
  it("has one page for an empty list", () => {
    expect(clampPage("7", 0, 50)).toBe(1);
  });
  it("takes the whole part of a fractional page", () => {
    expect(clampPage("2.9", 120, 50)).toBe(2);
  });
});

describe("pageHrefFrom", () => {
  it("keeps every filter and replaces the page", () => {
    const href = pageHrefFrom("/members", { q: "garc", page: "3", billingGroup: "unassigned", multi: ["a", "b"] });
    expect(href(4)).toBe("/members?q=garc&billingGroup=unassigned&page=4");
  });
});
