import { consoleGet, parseQuery } from "@/lib/api/console";
import { requirePrincipal } from "@/lib/auth/guard";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import { searchGroupCandidates } from "@/lib/groups/access";
import { searchGroupCandidatesSchema } from "@/lib/groups/schemas";

export const dynamic = "force-dynamic";

/** The group's `Add Members` picker: active members not yet in the group, `?search=` (admins only, like the screen). */
export const GET = consoleGet("GET /api/console/groups/{id}/candidates", async (request, params) => {
  const principal = await requirePrincipal(ADMIN_ONLY);
  const { id, ...query } = params;
  return searchGroupCandidates(
    principal,
    parseQuery(searchGroupCandidatesSchema, request, { groupId: String(id ?? ""), ...query }),
  );
});
