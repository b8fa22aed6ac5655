import { withOrg } from "@/db";
import { requireMember } from "@/lib/auth/guard";
import { BILLING_ROLES } from "@/lib/auth/roles";
import { requireExportPeriod } from "@/lib/export/period";
import { listBillScopeOptions } from "@/lib/export/queries";
import { errorResponse } from "@/lib/api/http";

export const dynamic = "force-dynamic";

/** The export drawer's Billing Group choices for a period. */
export async function GET(request: Request) {
  try {
    const member = await requireMember(BILLING_ROLES);
    const period = requireExportPeriod(member.orgCreatedAt, new URL(request.url).searchParams.get("period"));
    const options = await withOrg(member.orgId, (tx) => listBillScopeOptions(tx, { orgId: member.orgId, period }));
    return Response.json({ period, options }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "export.scopes");
  }
}
