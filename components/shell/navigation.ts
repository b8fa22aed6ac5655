import { canOpenScreen, type Role, type Screen } from "@/lib/auth/roles";

// Screens in navigation order. A screen appears here once it exists (SPEC §10 link names).
const SCREENS: { screen: Screen; href: string; label: string }[] = [
  { screen: "overview", href: "/", label: "Overview" },
  { screen: "members", href: "/members", label: "Members" },
  { screen: "groups", href: "/groups", label: "Groups" },
  { screen: "billing-groups", href: "/billing-groups", label: "Billing Groups" },
  { screen: "api-keys", href: "/api-keys", label: "API Keys" },
  { screen: "audit-log", href: "/audit-log", label: "Audit Log" },
  { screen: "webhooks", href: "/webhooks", label: "Webhooks" },
  // Last: every signed-in member has it, so the role's own screens come first.
  { screen: "my-usage", href: "/my-usage", label: "My usage" },
];

/** A billing group viewer (R3, R33: a `member` with grants) sees Billing Groups and My usage. */
export function navigationFor(role: Role, options: { billingGroupViewer?: boolean } = {}) {
  const visible = (screen: Screen) =>
    canOpenScreen(role, screen) || (options.billingGroupViewer === true && screen === "billing-groups");
  return SCREENS.filter((s) => visible(s.screen)).map(({ href, label }) => ({ href, label }));
}
