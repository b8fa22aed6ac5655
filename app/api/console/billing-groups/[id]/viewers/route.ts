import { consoleGet, parseQuery } from "@/lib/api/console";
import { requirePrincipal } from "@/lib/auth/guard";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import { listBillingGroupViewers } from "@/lib/billing-groups/access";
import { viewersListSchema } from "@/lib/billing-groups/schemas";

export const dynamic = "force-dynamic";

/** R33: the Permissions tab's list of viewers. Admins only. */
export const GET = consoleGet("GET /api/console/billing-groups/{id}/viewers", async (request, params) => {
  const principal = await requirePrincipal(ADMIN_ONLY);
  const { billingGroupId } = parseQuery(viewersListSchema, request, { billingGroupId: params.id ?? "" });
  return { viewers: await listBillingGroupViewers(principal, { billingGroupId }) };
});
