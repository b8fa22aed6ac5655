import { consoleGet } from "@/lib/api/console";
import { requirePrincipal } from "@/lib/auth/guard";
import { BILLING_ROLES } from "@/lib/auth/roles";
import { downloadMemberAssignments } from "@/lib/members/import/access";

export const dynamic = "force-dynamic";

/** R43 Download current assignments: `Email,Billing Group,Personal Usage Limit` for every active member. */
export const GET = consoleGet("members.assignments", async () =>
  downloadMemberAssignments(await requirePrincipal(BILLING_ROLES)),
);
