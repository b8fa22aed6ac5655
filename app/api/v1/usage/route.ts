import {
  apiRoute,
  authenticate,
  insufficientScope,
  readApiKey,
  readJsonBody,
  recordApiKeyUse,
  unknownApiKeyResponse,
  usageOutcomeResponse,
} from "@/lib/api/http";
import { MAX_USAGE_BODY_BYTES } from "@/lib/limits";
import { noteRequestOrg } from "@/lib/runtime/request-notes";
import { ingestUsageEventWithApiKey, parseUsageEvent } from "@/lib/usage/access";
import type { UsageEventInput } from "@/lib/usage/schemas";

export const dynamic = "force-dynamic";

/**
 * R30: records one usage event, exactly within the personal and group limits. A valid event is
 * checked against its API key and recorded in one database round trip (issue 8). A body that is
 * refused anyway waits for the key check, so a bad key still answers 401 before any 400 or 413.
 */
export const POST = apiRoute("POST /api/v1/usage", async (request) => {
  const credential = readApiKey(request);
  if (!credential.ok) return credential.response;
  const event = await readUsageEvent(request);
  if (!event.ok) {
    const auth = await authenticate(request, "usage");
    return auth.ok ? event.response : auth.response;
  }
  const ingested = await ingestUsageEventWithApiKey(credential.secret, event.event);
  if (ingested.kind === "unknown_key") return unknownApiKeyResponse();
  noteRequestOrg(request.headers, ingested.key.orgId);
  await recordApiKeyUse(ingested.key);
  if (ingested.kind === "insufficient_scope") return insufficientScope("usage");
  return usageOutcomeResponse(ingested.outcome);
});

async function readUsageEvent(
  request: Request,
): Promise<{ ok: true; event: UsageEventInput } | { ok: false; response: Response }> {
  const body = await readJsonBody(request, MAX_USAGE_BODY_BYTES);
  if (!body.ok) return body;
  const parsed = parseUsageEvent(body.value);
  return parsed.ok ? parsed : { ok: false, response: usageOutcomeResponse(parsed.outcome) };
}
