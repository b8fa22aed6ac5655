import { apiError, apiJson, apiRoute, authenticate } from "@/lib/api/http";
import { memberPathSchema } from "@/lib/api/schemas";
import { getEntitlement } from "@/lib/members/access";
import { MEMBER_NOT_FOUND } from "@/lib/usage/access";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ member: string }> };

/** R32: whether the member can use Credits now, which limit binds, and what remains. */
export const GET = apiRoute(
  "GET /api/v1/members/{member}/entitlement",
  async (request: Request, { params }: Context) => {
    const auth = await authenticate(request, "usage");
    if (!auth.ok) return auth.response;
    const path = memberPathSchema.safeParse(await params);
    if (!path.success) return apiError(400, "invalid_member", "Give a member email or id in the path.");
    const entitlement = await getEntitlement(auth.principal, { member: path.data.member });
    if (!entitlement) return apiJson(MEMBER_NOT_FOUND, 404);
    return apiJson(entitlement);
  },
);
