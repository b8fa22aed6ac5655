import "server-only";
import { withOrg } from "@/db";
import { getViewerBillingGroupIds } from "@/lib/billing-groups/viewers";
import { ForbiddenError } from "@/lib/errors";
import { BILLING_ROLES, type Role } from "./roles";

// R3, R33: the one answer to "which billing groups may this member see?", read from the database
// on every request (a revoked grant takes effect on the very next request, like R4).

export type BillingAccess = { kind: "full" } | { kind: "viewer"; billingGroupIds: string[] } | { kind: "none" };

export async function getBillingAccess(member: { id: string; orgId: string; role: Role }): Promise<BillingAccess> {
  if ((BILLING_ROLES as readonly Role[]).includes(member.role)) return { kind: "full" };
  const billingGroupIds = await withOrg(member.orgId, (tx) =>
    getViewerBillingGroupIds(tx, { orgId: member.orgId, memberId: member.id }),
  );
  return billingGroupIds.length > 0 ? { kind: "viewer", billingGroupIds } : { kind: "none" };
}

/** Whether `access` may read or export a scope: `all`, `unassigned` or a billing group id. */
export function canSeeBillingScope(access: BillingAccess, scope: string): boolean {
  if (access.kind === "full") return true;
  if (access.kind === "none") return false;
  return access.billingGroupIds.includes(scope);
}

/** Throws unless `access` may read or export `scope` (routes and actions map it to 403). */
export function requireBillingScope(access: BillingAccess, scope: string | null): void {
  if (!canSeeBillingScope(access, scope?.trim() || "all"))
    throw new ForbiddenError("You do not have access to this billing group.");
}

/** Roles that may reach billing-group reads at all; the access above narrows `member` to viewers. */
export const BILLING_READ_ROLES = ["admin", "billing_admin", "member"] as const satisfies readonly Role[];
