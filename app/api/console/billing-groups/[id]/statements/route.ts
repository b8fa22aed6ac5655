import { consoleGet } from "@/lib/api/console";
import { BILLING_READ_ROLES } from "@/lib/auth/billing-access";
import { requirePrincipal } from "@/lib/auth/guard";
import { getStatementDeliveries } from "@/lib/statements/access";

export const dynamic = "force-dynamic";

/** R39: the Recipients tab's delivery log (id may be `unassigned`). Billing roles and the group's viewers. */
export const GET = consoleGet("GET /api/console/billing-groups/{id}/statements", async (_request, params) => {
  const principal = await requirePrincipal(BILLING_READ_ROLES);
  return getStatementDeliveries(principal, { billingGroup: String(params.id ?? "") });
});
