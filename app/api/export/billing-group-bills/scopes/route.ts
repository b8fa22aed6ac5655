import { withOrg } from "@/db";
import { requireBillingReader } from "@/lib/auth/guard";
import { canSeeBillingScope } from "@/lib/auth/billing-access";
import { requireExportPeriod } from "@/lib/export/period";
import { listBillScopeOptions } from "@/lib/export/queries";
import { errorResponse } from "@/lib/api/http";

export const dynamic = "force-dynamic";

/** The export drawer's Billing Group choices for a period. */
export async function GET(request: Request) {
  try {
    const { member, access } = await requireBillingReader();
    const period = requireExportPeriod(member.orgCreatedAt, new URL(request.url).searchParams.get("period"));
    const all = await withOrg(member.orgId, (tx) => listBillScopeOptions(tx, { orgId: member.orgId, period }));
    // R33: a billing group viewer is offered only their groups (no all, no Unassigned).
    const options = all.filter((o) => canSeeBillingScope(access, o.value));
    return Response.json({ period, options }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "export.scopes");
  }
}
