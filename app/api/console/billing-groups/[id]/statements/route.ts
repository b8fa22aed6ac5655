import { z } from "zod";
import { consoleGet, parseQuery } from "@/lib/api/console";
import { BILLING_READ_ROLES } from "@/lib/auth/billing-access";
import { requirePrincipal } from "@/lib/auth/guard";
import { getStatementDeliveries } from "@/lib/statements/access";
import { billingGroupKeySchema } from "@/lib/statements/schemas";

export const dynamic = "force-dynamic";

const statementsQuerySchema = z.object({ billingGroup: billingGroupKeySchema });

/** R39: the Recipients tab's delivery log (id may be `unassigned`). Billing roles and the group's viewers. */
export const GET = consoleGet("GET /api/console/billing-groups/{id}/statements", async (request, params) => {
  const principal = await requirePrincipal(BILLING_READ_ROLES);
  const { billingGroup } = parseQuery(statementsQuerySchema, request, { billingGroup: String(params.id ?? "") });
  return getStatementDeliveries(principal, { billingGroup });
});
