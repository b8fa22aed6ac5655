import { apiRoute, authenticate, errorResponse } from "@/lib/api/http";
import { billParamsOf, downloadBillCsv } from "@/lib/export/access";

export const dynamic = "force-dynamic";

/**
 * R32a: `?period=YYYY-MM[&billingGroup=<id>|unassigned]` — exactly the CSV of R25–R27, through the
 * same code path as the console's Download CSV, so both serve the same bytes.
 */
export const GET = apiRoute("GET /api/v1/billing-groups/export", async (request) => {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  try {
    return await downloadBillCsv(auth.principal, billParamsOf(request));
  } catch (error) {
    return errorResponse(error, "GET /api/v1/billing-groups/export");
  }
});
