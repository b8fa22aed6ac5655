import { apiError, apiJson, apiRoute, authenticate } from "@/lib/api/http";
import { listBillingGroupsForApi } from "@/lib/billing-groups/access";
import { billingGroupsQuerySchema, queryOf } from "@/lib/api/schemas";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";

export const dynamic = "force-dynamic";

/** R32a: billing groups with members, period usage and limit; `Unassigned` first as id `unassigned`. */
export const GET = apiRoute("GET /api/v1/billing-groups", async (request) => {
  const auth = await authenticate(request, "read");
  if (!auth.ok) return auth.response;
  const query = billingGroupsQuerySchema.safeParse(queryOf(request));
  if (!query.success) return apiError(400, "invalid_period", "period must be YYYY-MM, e.g. 2026-10.");
  const period = query.data.period ?? periodOf(now());
  return apiJson({ period, billingGroups: await listBillingGroupsForApi(auth.principal, { period }) });
});
