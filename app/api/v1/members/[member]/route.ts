import { adminRoute, readAdminBody, readPath } from "@/lib/api/admin";
import { apiJson } from "@/lib/api/http";
import { changeMemberBodySchema, memberPathSchema } from "@/lib/api/schemas";
import { UNASSIGNED_ID } from "@/lib/ids";
import { changeMemberViaApi } from "@/lib/members/access";
import { MEMBER_NOT_FOUND } from "@/lib/usage/access";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ member: string }> };

/** R44 (R12, R18): an active member's personal limit and/or billing group, by email or id. */
export const PATCH = adminRoute(
  "PATCH /api/v1/members/{member}",
  "admin",
  async (request, principal, { params }: Context) => {
    const path = readPath(await params, memberPathSchema, "That member");
    if (!path.ok) return path.response.status === 404 ? apiJson(MEMBER_NOT_FOUND, 404) : path.response;
    const body = await readAdminBody(request, changeMemberBodySchema);
    if (!body.ok) return body.response;
    const { personalLimit, billingGroup } = body.value;
    const member = await changeMemberViaApi(principal, {
      member: path.value.member,
      personalLimit,
      billingGroupId: billingGroup === undefined ? undefined : billingGroup === UNASSIGNED_ID ? null : billingGroup,
    });
    return member ? apiJson(member) : apiJson(MEMBER_NOT_FOUND, 404);
  },
);
