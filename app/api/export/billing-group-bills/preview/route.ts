import { requireBillingReader } from "@/lib/auth/guard";
import { requireBillingScope } from "@/lib/auth/billing-access";
import { billPreview } from "@/lib/export/service";
import { errorResponse } from "@/lib/api/http";

export const dynamic = "force-dynamic";

/** The export drawer's preview: first rows, row count, Credits per billing group and overall. */
export async function GET(request: Request) {
  try {
    const { member, access } = await requireBillingReader();
    const url = new URL(request.url);
    requireBillingScope(access, url.searchParams.get("billingGroup"));
    const preview = await billPreview({
      orgId: member.orgId,
      period: url.searchParams.get("period"),
      billingGroup: url.searchParams.get("billingGroup"),
    });
    return Response.json(preview, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "export.preview");
  }
}
