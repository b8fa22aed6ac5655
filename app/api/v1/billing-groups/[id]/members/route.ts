import { adminRoute, markReplayed, readAdminBody, readIdempotencyClaim, readPath } from "@/lib/api/admin";
import { apiJson } from "@/lib/api/http";
import { assignMembersBodySchema, billingGroupPathSchema } from "@/lib/api/schemas";
import { assignMembersViaApi } from "@/lib/billing-groups/access";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const OPERATION = "POST /api/v1/billing-groups/{id}/members";

/** R44 (R9, R12): up to 1,000 members by email or id into the group (or `unassigned`), all or nothing. */
export const POST = adminRoute(OPERATION, "admin", async (request, principal, { params }: Context) => {
  const path = readPath(await params, billingGroupPathSchema, "That billing group");
  if (!path.ok) return path.response;
  const body = await readAdminBody(request, assignMembersBodySchema);
  if (!body.ok) return body.response;
  // The group is part of what is idempotent: the same list into another group is another request.
  const claim = readIdempotencyClaim(request, principal, OPERATION, { id: path.value.id, body: body.raw }, 200);
  if (!claim.ok) return claim.response;
  const { value, replayed } = await assignMembersViaApi(
    principal,
    { billingGroupId: path.value.id, members: body.value.members },
    claim.value,
  );
  return markReplayed(apiJson(value), replayed);
});
