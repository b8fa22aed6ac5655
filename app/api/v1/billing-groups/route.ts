import { adminRoute, markReplayed, readAdminBody, readIdempotencyClaim, settingsResponse } from "@/lib/api/admin";
import { apiError, apiJson, apiRoute, authenticate } from "@/lib/api/http";
import { createBillingGroupViaApi, listBillingGroupsForApi } from "@/lib/billing-groups/access";
import { billingGroupsQuerySchema, createBillingGroupBodySchema, queryOf } from "@/lib/api/schemas";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";

export const dynamic = "force-dynamic";

/** R32a: billing groups with members, period usage and limit; `Unassigned` first as id `unassigned`. */
export const GET = apiRoute("GET /api/v1/billing-groups", async (request) => {
  const auth = await authenticate(request, "read");
  if (!auth.ok) return auth.response;
  const query = billingGroupsQuerySchema.safeParse(queryOf(request));
  if (!query.success) return apiError(400, "invalid_period", "period must be YYYY-MM, e.g. 2026-10.");
  const period = query.data.period ?? periodOf(now());
  return apiJson({ period, billingGroups: await listBillingGroupsForApi(auth.principal, { period }) });
});

const CREATE = "POST /api/v1/billing-groups";

/** R44 (R11, R42): create a billing group; `Idempotency-Key` makes a retry safe. */
export const POST = adminRoute(CREATE, "admin", async (request, principal) => {
  const body = await readAdminBody(request, createBillingGroupBodySchema);
  if (!body.ok) return body.response;
  const claim = readIdempotencyClaim(request, principal, CREATE, body.raw, 201);
  if (!claim.ok) return claim.response;
  const { name, description, defaultPersonalLimit } = body.value;
  const { value, replayed } = await createBillingGroupViaApi(
    principal,
    { name, description: description ?? "", defaultPersonalLimit: defaultPersonalLimit ?? null },
    claim.value,
  );
  return markReplayed(settingsResponse(value, 201), replayed);
});
