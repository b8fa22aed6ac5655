import { consoleGet } from "@/lib/api/console";
import { BILLING_READ_ROLES } from "@/lib/auth/billing-access";
import { requirePrincipal } from "@/lib/auth/guard";
import { billParamsOf, downloadBillCsv } from "@/lib/export/access";

export const dynamic = "force-dynamic";

/** Console Download CSV (R24–R28): `?period=YYYY-MM&billingGroup=all|unassigned|<id>`; viewers their groups only (R33). */
export const GET = consoleGet("export.csv", async (request) =>
  downloadBillCsv(await requirePrincipal(BILLING_READ_ROLES), billParamsOf(request)),
);
