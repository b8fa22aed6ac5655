import { apiJson, apiRoute, authenticate, readJsonBody } from "@/lib/api/http";
import { ingestUsageEvent } from "@/lib/usage/ingest";
import { MAX_USAGE_BODY_BYTES } from "@/lib/usage/schemas";

export const dynamic = "force-dynamic";

/** R30: records one usage event, exactly within the personal and group limits. */
export const POST = apiRoute("POST /api/v1/usage", async (request) => {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, MAX_USAGE_BODY_BYTES);
  if (!body.ok) return body.response;
  const result = await ingestUsageEvent(auth.key, body.value);
  return apiJson(result.body, result.status);
});
