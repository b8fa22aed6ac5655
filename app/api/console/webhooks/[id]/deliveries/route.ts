import { consoleGet } from "@/lib/api/console";
import { requirePrincipal } from "@/lib/auth/guard";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import { getWebhookDeliveries } from "@/lib/webhooks/access";

export const dynamic = "force-dynamic";

/** R41: one endpoint's delivery log (`?page=N`, newest first), each delivery with its attempts. Admins only. */
export const GET = consoleGet("GET /api/console/webhooks/{id}/deliveries", async (request, params) => {
  const principal = await requirePrincipal(ADMIN_ONLY);
  const page = new URL(request.url).searchParams.get("page") ?? undefined;
  return getWebhookDeliveries(principal, { endpointId: String(params.id ?? ""), page });
});
