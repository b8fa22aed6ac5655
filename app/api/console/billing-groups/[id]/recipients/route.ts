import { consoleGet } from "@/lib/api/console";
import { BILLING_READ_ROLES } from "@/lib/auth/billing-access";
import { requirePrincipal } from "@/lib/auth/guard";
import { listRecipients } from "@/lib/recipients/access";

export const dynamic = "force-dynamic";

/** R39: the Recipients tab's list; `{id}` may be `unassigned`. A billing group viewer reads granted groups only (R33). */
export const GET = consoleGet("GET /api/console/billing-groups/{id}/recipients", async (_request, params) => {
  const principal = await requirePrincipal(BILLING_READ_ROLES);
  return listRecipients(principal, { billingGroup: String(params.id ?? "") });
});
