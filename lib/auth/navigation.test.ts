import { describe, expect, it } from "vitest";
import { navigationFor } from "@/components/shell/navigation";

describe("navigation (R3, R33)", () => {
  it("shows a billing group viewer the Billing Groups link and My usage", () => {
    expect(navigationFor("member", { billingGroupViewer: true })).toEqual([
      { href: "/billing-groups", label: "Billing Groups" },
      { href: "/my-usage", label: "My usage" },
    ]);
  });

  it("shows a member without grants My usage only, and leaves the other roles unchanged", () => {
    expect(navigationFor("member")).toEqual([{ href: "/my-usage", label: "My usage" }]);
    expect(navigationFor("billing_admin", { billingGroupViewer: true })).toEqual(navigationFor("billing_admin"));
    expect(navigationFor("admin").map((l) => l.label)).toContain("Groups");
  });

  it("shows the Webhooks link to admins only (R41)", () => {
    expect(navigationFor("admin")).toContainEqual({ href: "/webhooks", label: "Webhooks" });
    expect(navigationFor("billing_admin").map((l) => l.label)).not.toContain("Webhooks");
    expect(navigationFor("member", { billingGroupViewer: true }).map((l) => l.label)).not.toContain("Webhooks");
  });

  it("ends everyone's navigation with My usage (issue 18)", () => {
    for (const links of [navigationFor("admin"), navigationFor("billing_admin"), navigationFor("member")])
      expect(links.at(-1)).toEqual({ href: "/my-usage", label: "My usage" });
  });
});
