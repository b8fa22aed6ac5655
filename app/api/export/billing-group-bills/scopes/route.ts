import { consoleGet } from "@/lib/api/console";
import { BILLING_READ_ROLES } from "@/lib/auth/billing-access";
import { requirePrincipal } from "@/lib/auth/guard";
import { listBillScopes } from "@/lib/export/access";

export const dynamic = "force-dynamic";

/** The export drawer's Billing Group choices for a period (R33: a viewer is offered only their groups). */
export const GET = consoleGet("export.scopes", async (request) =>
  listBillScopes(await requirePrincipal(BILLING_READ_ROLES), {
    period: new URL(request.url).searchParams.get("period"),
  }),
);
