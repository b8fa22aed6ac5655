import { describe, expect, it } from "vitest";
import { navigationFor } from "@/components/shell/navigation";

describe("navigation (R3, R33)", () => {
  it("shows a billing group viewer the Billing Groups link only", () => {
    expect(navigationFor("member", { billingGroupViewer: true })).toEqual([
      { href: "/billing-groups", label: "Billing Groups" },
    ]);
  });

  it("shows a member without grants nothing, and leaves the other roles unchanged", () => {
    expect(navigationFor("member")).toEqual([]);
    expect(navigationFor("billing_admin", { billingGroupViewer: true })).toEqual(navigationFor("billing_admin"));
    expect(navigationFor("admin").map((l) => l.label)).toContain("Groups");
  });

  it("shows the Webhooks link to admins only (R41)", () => {
    expect(navigationFor("admin")).toContainEqual({ href: "/webhooks", label: "Webhooks" });
    expect(navigationFor("billing_admin").map((l) => l.label)).not.toContain("Webhooks");
    expect(navigationFor("member", { billingGroupViewer: true }).map((l) => l.label)).not.toContain("Webhooks");
  });
});
