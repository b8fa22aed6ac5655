import { consoleGet, parseQuery } from "@/lib/api/console";
import { requirePrincipal } from "@/lib/auth/guard";
import { BILLING_ROLES } from "@/lib/auth/roles";
import { searchMembersForAssignment } from "@/lib/billing-groups/access";
import { memberSearchSchema } from "@/lib/billing-groups/schemas";

export const dynamic = "force-dynamic";

/** Handle, Add Members and the viewer picker: `?q=&scope=unassigned|all|<billing group id>`. */
export const GET = consoleGet("GET /api/console/members/search", async (request) => {
  const principal = await requirePrincipal(BILLING_ROLES);
  return searchMembersForAssignment(principal, parseQuery(memberSearchSchema, request));
});
