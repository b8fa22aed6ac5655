import { apiError, apiRoute, authenticate, errorResponse } from "@/lib/api/http";
import { billExportQuerySchema, queryOf } from "@/lib/api/schemas";
import { downloadBillCsv } from "@/lib/export/access";
import { describeIssues } from "@/lib/usage/schemas";

export const dynamic = "force-dynamic";

/**
 * R32a: `?period=YYYY-MM[&billingGroup=<id>|unassigned]` — exactly the CSV of R25–R27, through the
 * same code path as the console's Download CSV, so both serve the same bytes.
 */
export const GET = apiRoute("GET /api/v1/billing-groups/export", async (request) => {
  const auth = await authenticate(request, "read");
  if (!auth.ok) return auth.response;
  const query = billExportQuerySchema.safeParse(queryOf(request));
  if (!query.success) return apiError(400, "invalid_input", describeIssues(query.error));
  try {
    return await downloadBillCsv(auth.principal, {
      period: query.data.period ?? null,
      billingGroup: query.data.billingGroup ?? null,
    });
  } catch (error) {
    return errorResponse(error, "GET /api/v1/billing-groups/export");
  }
});
