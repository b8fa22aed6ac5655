import { consoleGet } from "@/lib/api/console";
import { BILLING_READ_ROLES } from "@/lib/auth/billing-access";
import { requirePrincipal } from "@/lib/auth/guard";
import { getBillingGroupTrends } from "@/lib/billing-groups/access";

export const dynamic = "force-dynamic";

/** R45, the details drawer's Usage tab: `?period=YYYY-MM`. A billing group viewer reads granted groups only (R33). */
export const GET = consoleGet("GET /api/console/billing-groups/{id}/trends", async (request, params) => {
  const principal = await requirePrincipal(BILLING_READ_ROLES);
  const period = new URL(request.url).searchParams.get("period");
  return getBillingGroupTrends(principal, { id: String(params.id ?? ""), period });
});
