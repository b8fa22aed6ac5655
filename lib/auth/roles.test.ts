import { describe, expect, it } from "vitest";
import { canOpenScreen, hasConsoleAccess } from "./roles";

describe("roles (R3)", () => {
  it("gives admins every screen", () => {
    for (const screen of [
      "overview",
      "members",
      "groups",
      "billing-groups",
      "api-keys",
      "audit-log",
      "webhooks",
      "my-usage",
    ] as const) {
      expect(canOpenScreen("admin", screen)).toBe(true);
    }
  });

  it("limits billing admins to billing screens and the read-mostly member list", () => {
    expect(canOpenScreen("billing_admin", "billing-groups")).toBe(true);
    expect(canOpenScreen("billing_admin", "members")).toBe(true);
    expect(canOpenScreen("billing_admin", "groups")).toBe(false);
    expect(canOpenScreen("billing_admin", "api-keys")).toBe(false);
    expect(canOpenScreen("billing_admin", "audit-log")).toBe(false);
    expect(canOpenScreen("billing_admin", "webhooks")).toBe(false);
  });

  it("gives plain members no console, only their own usage", () => {
    expect(hasConsoleAccess("member")).toBe(false);
    expect(canOpenScreen("member", "overview")).toBe(false);
    expect(canOpenScreen("member", "members")).toBe(false);
    expect(canOpenScreen("member", "my-usage")).toBe(true);
    expect(canOpenScreen("billing_admin", "my-usage")).toBe(true);
  });
});
