import { requireBillingReader } from "@/lib/auth/guard";
import { requireBillingScope } from "@/lib/auth/billing-access";
import { billCsvResponse } from "@/lib/export/service";
import { errorResponse } from "@/lib/api/http";

export const dynamic = "force-dynamic";

/** Console Download CSV (R24–R28): `?period=YYYY-MM&billingGroup=all|unassigned|<id>`. */
export async function GET(request: Request) {
  try {
    const { member, access } = await requireBillingReader();
    const url = new URL(request.url);
    // R33: a billing group viewer exports only the groups they were granted.
    requireBillingScope(access, url.searchParams.get("billingGroup"));
    return await billCsvResponse({
      orgId: member.orgId,
      period: url.searchParams.get("period"),
      billingGroup: url.searchParams.get("billingGroup"),
    });
  } catch (error) {
    return errorResponse(error, "export.csv");
  }
}
