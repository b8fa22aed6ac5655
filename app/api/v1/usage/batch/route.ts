import { apiError, apiJson, apiRoute, authenticate, readJsonBody, usageOutcomeStatus } from "@/lib/api/http";
import { MAX_BATCH_BODY_BYTES } from "@/lib/limits";
import { logFailure, requestIdFrom } from "@/lib/log";
import { ingestUsageBatch, parseUsageEvent } from "@/lib/usage/access";
import { BATCH_SHAPE_MESSAGE, usageBatchSchema } from "@/lib/usage/schemas";

export const dynamic = "force-dynamic";

/**
 * R31: up to 1,000 events, answered per event in request order. The valid events go to the
 * database in one round trip (issue 19), where each is judged exactly as if it had been sent
 * alone, in order, and one bad event does not sink the others.
 */
export const POST = apiRoute("POST /api/v1/usage/batch", async (request) => {
  const auth = await authenticate(request, "usage");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, MAX_BATCH_BODY_BYTES);
  if (!body.ok) return body.response;
  const batch = usageBatchSchema.safeParse(body.value);
  if (!batch.success) {
    const [issue] = batch.error.issues;
    return apiError(
      400,
      issue?.code === "too_big" ? "batch_too_large" : "invalid_body",
      issue?.message ?? BATCH_SHAPE_MESSAGE,
    );
  }
  const { events } = batch.data;
  let results: { index: number; status: number; body: unknown }[];
  try {
    const outcomes = await ingestUsageBatch(auth.principal, events);
    results = outcomes.map((outcome, index) => ({ index, status: usageOutcomeStatus(outcome), body: outcome.body }));
  } catch (error) {
    // The batch is one statement: nothing of it was recorded. Malformed events keep their own 400.
    logFailure("api POST /api/v1/usage/batch", error, requestIdFrom(request.headers));
    results = events.map((raw, index) => {
      const parsed = parseUsageEvent(raw);
      return parsed.ok
        ? {
            index,
            status: 500,
            body: { error: "internal", message: "This event was not recorded; retry it with the same idempotencyKey." },
          }
        : { index, status: usageOutcomeStatus(parsed.outcome), body: parsed.outcome.body };
    });
  }
  const count = (test: (status: number) => boolean) => results.filter((r) => test(r.status)).length;
  return apiJson({
    summary: { accepted: count((s) => s === 201), replayed: count((s) => s === 200), rejected: count((s) => s >= 400) },
    results,
  });
});
