import { requireMember } from "@/lib/auth/guard";
import { BILLING_ROLES } from "@/lib/auth/roles";
import { billCsvResponse } from "@/lib/export/service";
import { errorResponse } from "@/lib/api/http";

export const dynamic = "force-dynamic";

/** Console Download CSV (R24–R28): `?period=YYYY-MM&billingGroup=all|unassigned|<id>`. */
export async function GET(request: Request) {
  try {
    const member = await requireMember(BILLING_ROLES);
    const url = new URL(request.url);
    return await billCsvResponse({
      orgId: member.orgId,
      period: url.searchParams.get("period"),
      billingGroup: url.searchParams.get("billingGroup"),
    });
  } catch (error) {
    return errorResponse(error, "export.csv");
  }
}
