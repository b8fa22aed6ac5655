import { apiError, apiJson, apiRoute, authenticate } from "@/lib/api/http";
import { membersQuerySchema, queryOf } from "@/lib/api/schemas";
import { listMembersForApi } from "@/lib/members/access";
import { hasControlCharacter } from "@/lib/validation/control-characters";
import { describeIssues } from "@/lib/usage/schemas";

export const dynamic = "force-dynamic";

/** R32a: members by email, `limit` per page (≤ 500), `nextCursor` to continue; filter by email or billing group. */
export const GET = apiRoute("GET /api/v1/members", async (request) => {
  const auth = await authenticate(request, "read");
  if (!auth.ok) return auth.response;
  const parsed = membersQuerySchema.safeParse(queryOf(request));
  if (!parsed.success) return apiError(400, "invalid_query", describeIssues(parsed.error));
  const { limit, cursor, email, billingGroup, includeDeactivated } = parsed.data;
  const after = cursor ? Buffer.from(cursor, "base64url").toString("utf8") : null;
  // R47: a cursor is opaque to clients; one that decodes to control characters was not ours.
  if (after !== null && hasControlCharacter(after))
    return apiError(400, "invalid_query", "cursor: not a cursor this API gave out; start again without it.");
  const page = await listMembersForApi(auth.principal, {
    limit,
    cursor: after,
    email: email ?? null,
    billingGroup: billingGroup ?? null,
    includeDeactivated: includeDeactivated === "true",
  });
  return apiJson({
    members: page.members,
    nextCursor: page.nextCursor === null ? null : Buffer.from(page.nextCursor, "utf8").toString("base64url"),
  });
});
