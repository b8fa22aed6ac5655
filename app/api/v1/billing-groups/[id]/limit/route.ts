import { adminRoute, readAdminBody, readIfMatch, readPath, settingsResponse } from "@/lib/api/admin";
import { billingGroupPathSchema, setPeriodLimitBodySchema } from "@/lib/api/schemas";
import { setBillingGroupLimitViaApi } from "@/lib/billing-groups/access";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** R44 (R19): set or clear (`null`) the period usage limit; below current usage is allowed and then blocks. */
export const PUT = adminRoute(
  "PUT /api/v1/billing-groups/{id}/limit",
  "admin",
  async (request, principal, { params }: Context) => {
    const path = readPath(await params, billingGroupPathSchema, "That billing group");
    if (!path.ok) return path.response;
    const ifMatch = readIfMatch(request);
    if (!ifMatch.ok) return ifMatch.response;
    const body = await readAdminBody(request, setPeriodLimitBodySchema);
    if (!body.ok) return body.response;
    const settings = await setBillingGroupLimitViaApi(principal, {
      id: path.value.id,
      ifMatch: ifMatch.value,
      limit: body.value.limit,
    });
    return settingsResponse(settings);
  },
);
