// R3: who may do what. Pure, so the navigation and every guard read the same table.

export type Role = "admin" | "billing_admin" | "member";

/** Every role, in the order pickers list them. */
export const MEMBER_ROLES = ["admin", "billing_admin", "member"] as const satisfies readonly Role[];

export const CONSOLE_ROLES = ["admin", "billing_admin"] as const satisfies readonly Role[];
export const ADMIN_ONLY = ["admin"] as const satisfies readonly Role[];
export const BILLING_ROLES = ["admin", "billing_admin"] as const satisfies readonly Role[];
/** Every signed-in member, whatever their role: what is theirs alone (their own usage). */
export const EVERY_ROLE = ["admin", "billing_admin", "member"] as const satisfies readonly Role[];

export type Screen =
  | "overview"
  | "members"
  | "groups"
  | "billing-groups"
  | "api-keys"
  | "audit-log"
  | "webhooks"
  | "my-usage";

const SCREEN_ROLES: Record<Screen, readonly Role[]> = {
  overview: CONSOLE_ROLES,
  members: CONSOLE_ROLES,
  groups: ADMIN_ONLY,
  "billing-groups": BILLING_ROLES,
  "api-keys": ADMIN_ONLY,
  "audit-log": ADMIN_ONLY,
  // R41: webhook endpoints and their signing secrets are an admin's business only.
  webhooks: ADMIN_ONLY,
  // Issue 18: a member's own usage and limit are theirs to see, console role or not.
  "my-usage": EVERY_ROLE,
};

export function canOpenScreen(role: Role, screen: Screen): boolean {
  return SCREEN_ROLES[screen].includes(role);
}

export function hasConsoleAccess(role: Role): boolean {
  return (CONSOLE_ROLES as readonly Role[]).includes(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  billing_admin: "Billing admin",
  member: "Member",
};
