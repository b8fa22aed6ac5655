import { consoleGet } from "@/lib/api/console";
import { BILLING_READ_ROLES } from "@/lib/auth/billing-access";
import { requirePrincipal } from "@/lib/auth/guard";
import { billParamsOf, previewBill } from "@/lib/export/access";

export const dynamic = "force-dynamic";

/** The export drawer's preview: first rows, row count, Credits per billing group and overall. */
export const GET = consoleGet("export.preview", async (request) =>
  previewBill(await requirePrincipal(BILLING_READ_ROLES), billParamsOf(request)),
);
