import { adminRoute, readAdminBody, readIfMatch, readPath, settingsResponse } from "@/lib/api/admin";
import { apiJson } from "@/lib/api/http";
import { billingGroupPathSchema, changeBillingGroupBodySchema, deleteBillingGroupBodySchema } from "@/lib/api/schemas";
import {
  changeBillingGroupViaApi,
  deleteBillingGroupViaApi,
  getBillingGroupSettings,
} from "@/lib/billing-groups/access";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** R44: a live billing group's settings, with its version as `ETag` for a later `If-Match`. */
export const GET = adminRoute(
  "GET /api/v1/billing-groups/{id}",
  "read",
  async (_request, principal, { params }: Context) => {
    const path = readPath(await params, billingGroupPathSchema, "That billing group");
    if (!path.ok) return path.response;
    return settingsResponse(await getBillingGroupSettings(principal, { id: path.value.id }));
  },
);

/** R44 (R11, R42): rename, redescribe or change the default personal limit; `If-Match` → 412 when stale. */
export const PATCH = adminRoute(
  "PATCH /api/v1/billing-groups/{id}",
  "admin",
  async (request, principal, { params }: Context) => {
    const path = readPath(await params, billingGroupPathSchema, "That billing group");
    if (!path.ok) return path.response;
    const ifMatch = readIfMatch(request);
    if (!ifMatch.ok) return ifMatch.response;
    const body = await readAdminBody(request, changeBillingGroupBodySchema);
    if (!body.ok) return body.response;
    const settings = await changeBillingGroupViaApi(principal, {
      id: path.value.id,
      ifMatch: ifMatch.value,
      changes: body.value,
    });
    return settingsResponse(settings);
  },
);

/** R44 (R13): soft-delete with `{ "confirmName" }`; its members return to Unassigned. */
export const DELETE = adminRoute(
  "DELETE /api/v1/billing-groups/{id}",
  "admin",
  async (request, principal, { params }: Context) => {
    const path = readPath(await params, billingGroupPathSchema, "That billing group");
    if (!path.ok) return path.response;
    const ifMatch = readIfMatch(request);
    if (!ifMatch.ok) return ifMatch.response;
    const body = await readAdminBody(request, deleteBillingGroupBodySchema);
    if (!body.ok) return body.response;
    const deleted = await deleteBillingGroupViaApi(principal, {
      id: path.value.id,
      ifMatch: ifMatch.value,
      confirmName: body.value.confirmName,
    });
    return apiJson(deleted);
  },
);
