import { requireMember } from "@/lib/auth/guard";
import { BILLING_ROLES } from "@/lib/auth/roles";
import { billPreview } from "@/lib/export/service";
import { errorResponse } from "@/lib/api/http";

export const dynamic = "force-dynamic";

/** The export drawer's preview: first rows, row count, Credits per billing group and overall. */
export async function GET(request: Request) {
  try {
    const member = await requireMember(BILLING_ROLES);
    const url = new URL(request.url);
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
