import { withOrg } from "@/db";
import { apiError, apiJson, apiRoute, authenticate } from "@/lib/api/http";
import { memberPathSchema } from "@/lib/api/schemas";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { getMemberEntitlement } from "@/lib/usage/queries";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ member: string }> };

/** R32: whether the member can use Credits now, which limit binds, and what remains. */
export const GET = apiRoute(
  "GET /api/v1/members/{member}/entitlement",
  async (request: Request, { params }: Context) => {
    const auth = await authenticate(request);
    if (!auth.ok) return auth.response;
    const path = memberPathSchema.safeParse(await params);
    if (!path.success) return apiError(400, "invalid_member", "Give a member email or id in the path.");
    const { member } = path.data;
    const orgId = auth.key.orgId;
    const entitlement = await withOrg(orgId, (tx) =>
      getMemberEntitlement(tx, { orgId, member, period: periodOf(now()) }),
    );
    if (!entitlement)
      return apiError(404, "member_not_found", "No active member with that email or id in this organization.");
    return apiJson(entitlement);
  },
);
