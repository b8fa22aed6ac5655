import { z } from "zod";
import { apiError, apiJson, apiRoute, authenticate } from "@/lib/api/http";
import { UNASSIGNED_ID } from "@/lib/ids";
import { API_MEMBERS_PAGE_DEFAULT, API_MEMBERS_PAGE_MAX } from "@/lib/limits";
import { listMembersForApi } from "@/lib/members/access";
import { describeIssues } from "@/lib/usage/schemas";

export const dynamic = "force-dynamic";

const query = z.object({
  limit: z.coerce.number().int().min(1).max(API_MEMBERS_PAGE_MAX).default(API_MEMBERS_PAGE_DEFAULT),
  cursor: z.string().max(1000).optional(),
  email: z.string().trim().min(1).max(320).optional(),
  billingGroup: z.union([z.literal(UNASSIGNED_ID), z.uuid()]).optional(),
  includeDeactivated: z.enum(["true", "false"]).default("false"),
});

/** R32a: members by email, `limit` per page (≤ 500), `nextCursor` to continue; filter by email or billing group. */
export const GET = apiRoute("GET /api/v1/members", async (request) => {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return apiError(400, "invalid_query", describeIssues(parsed.error));
  const { limit, cursor, email, billingGroup, includeDeactivated } = parsed.data;
  const page = await listMembersForApi(auth.principal, {
    limit,
    cursor: cursor ? Buffer.from(cursor, "base64url").toString("utf8") : null,
    email: email ?? null,
    billingGroup: billingGroup ?? null,
    includeDeactivated: includeDeactivated === "true",
  });
  return apiJson({
    members: page.members,
    nextCursor: page.nextCursor === null ? null : Buffer.from(page.nextCursor, "utf8").toString("base64url"),
  });
});
