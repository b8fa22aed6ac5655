import { withOrg } from "@/db";
import { apiError, apiJson, apiRoute, authenticate } from "@/lib/api/http";
import { membersQuerySchema, queryOf } from "@/lib/api/schemas";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { listMembersPage } from "@/lib/usage/queries";
import { describeIssues } from "@/lib/usage/schemas";

export const dynamic = "force-dynamic";

/** R32a: members by email, `limit` per page (≤ 500), `nextCursor` to continue; filter by email or billing group. */
export const GET = apiRoute("GET /api/v1/members", async (request) => {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const parsed = membersQuerySchema.safeParse(queryOf(request));
  if (!parsed.success) return apiError(400, "invalid_query", describeIssues(parsed.error));
  const { limit, cursor, email, billingGroup, includeDeactivated } = parsed.data;
  const after = cursor ? Buffer.from(cursor, "base64url").toString("utf8") : null;
  const orgId = auth.key.orgId;
  const page = await withOrg(orgId, (tx) =>
    listMembersPage(tx, {
      orgId,
      period: periodOf(now()),
      limit,
      cursor: after,
      email: email ?? null,
      billingGroup: billingGroup ?? null,
      includeDeactivated: includeDeactivated === "true",
    }),
  );
  return apiJson({
    members: page.members,
    nextCursor: page.nextCursor === null ? null : Buffer.from(page.nextCursor, "utf8").toString("base64url"),
  });
});
