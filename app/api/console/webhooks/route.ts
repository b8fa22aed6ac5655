import { consoleGet } from "@/lib/api/console";
import { requirePrincipal } from "@/lib/auth/guard";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import { listWebhookEndpoints } from "@/lib/webhooks/access";

export const dynamic = "force-dynamic";

/** R41: the org's webhook endpoints (never their secrets). Admins only. */
export const GET = consoleGet("GET /api/console/webhooks", async () => {
  const principal = await requirePrincipal(ADMIN_ONLY);
  return { endpoints: await listWebhookEndpoints(principal) };
});
