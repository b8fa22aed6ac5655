import "server-only";
import type { z } from "zod";
import type { ApiKeyScope } from "@/lib/api-keys/rules";
import type { ApiKeyPrincipal } from "@/lib/auth/principal";
import { MAX_ADMIN_BODY_BYTES } from "@/lib/limits";
import { requestIdFrom } from "@/lib/log";
import { describeIssues } from "@/lib/usage/schemas";
import { findControlCharacter } from "@/lib/validation/control-characters";
import { apiError, apiJson, apiRoute, authenticate, type AuthResult, errorResponse, readJsonBody } from "./http";
import type { IdempotencyClaim } from "./idempotency";
import { adminRequestHash, readIdempotencyKey } from "./idempotency-rules";
import { ADMIN_API_RATE, RateLimiter } from "./rate-limit";

// R44: the plumbing of the admin API's route handlers — key, scope and rate limit, bodies,
// `If-Match` and `Idempotency-Key` — so each handler is only its own validation and one access call.

// One limiter per process, read on each request (a test may put in one with a stopped clock).
const globalForLimits = globalThis as unknown as { ledgerlineAdminRate?: RateLimiter };
globalForLimits.ledgerlineAdminRate ??= new RateLimiter(ADMIN_API_RATE);

function rateLimited(retryAfterSeconds: number): Response {
  const response = apiError(
    429,
    "rate_limited",
    `Too many requests for this API key: at most ${ADMIN_API_RATE.burst} at once, then ${ADMIN_API_RATE.perSecond} a second. Retry after ${retryAfterSeconds} s.`,
  );
  response.headers.set("Retry-After", String(retryAfterSeconds));
  return response;
}

/** 401 (no live key), 403 (no `scope`), 429 (over this key's rate), in that order. */
async function authenticateAdmin(request: Request, scope: ApiKeyScope): Promise<AuthResult> {
  const auth = await authenticate(request, scope);
  if (!auth.ok) return auth;
  globalForLimits.ledgerlineAdminRate ??= new RateLimiter(ADMIN_API_RATE);
  const taken = globalForLimits.ledgerlineAdminRate.take(auth.principal.apiKeyId);
  return taken.ok ? auth : { ok: false, response: rateLimited(taken.retryAfterSeconds) };
}

/**
 * An admin API route: authenticated for `scope` and rate-limited per key before the handler runs;
 * typed domain errors become their statuses (lib/api/http.ts), anything else a logged 500.
 */
export function adminRoute<Args extends unknown[]>(
  operation: string,
  scope: ApiKeyScope,
  handler: (request: Request, principal: ApiKeyPrincipal, ...rest: Args) => Promise<Response>,
) {
  return apiRoute(operation, async (request: Request, ...rest: Args) => {
    const auth = await authenticateAdmin(request, scope);
    if (!auth.ok) return auth.response;
    try {
      return await handler(request, auth.principal, ...rest);
    } catch (error) {
      return errorResponse(error, operation, requestIdFrom(request.headers));
    }
  });
}

export type Parsed<T> = { ok: true; value: T; raw: unknown } | { ok: false; response: Response };

/** A JSON body validated by `schema`: 413 when too large, 400 `invalid_json` / `invalid_body` naming the field. */
export async function readAdminBody<S extends z.ZodType>(request: Request, schema: S): Promise<Parsed<z.output<S>>> {
  const body = await readJsonBody(request, MAX_ADMIN_BODY_BYTES);
  if (!body.ok) return body;
  const dirty = findControlCharacter(body.value);
  if (dirty !== null)
    return {
      ok: false,
      response: apiError(400, "invalid_body", `${dirty}: remove control characters (such as NUL).`),
    };
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) return { ok: false, response: apiError(400, "invalid_body", describeIssues(parsed.error)) };
  return { ok: true, value: parsed.data, raw: body.value };
}

/**
 * A path parameter validated by `schema`: a 400 naming it when it holds a control character
 * (R47), else a 404 when it cannot name anything (a path that names nothing is not found).
 */
export function readPath<S extends z.ZodType>(params: unknown, schema: S, what: string): Parsed<z.output<S>> {
  const dirty = findControlCharacter(params);
  if (dirty !== null)
    return { ok: false, response: apiError(400, "invalid_path", `${dirty}: remove control characters (such as NUL).`) };
  const parsed = schema.safeParse(params);
  if (parsed.success) return { ok: true, value: parsed.data, raw: params };
  return { ok: false, response: apiError(404, "not_found", `${what} does not exist.`) };
}

/**
 * `If-Match: "7"` → 7 (also `W/"7"` and a bare 7); absent or `*` → null (any version).
 * Anything else is a 400, never a silent unconditional write.
 */
export function readIfMatch(request: Request): Parsed<number | null> {
  const raw = request.headers.get("if-match");
  if (raw === null || raw.trim() === "*") return { ok: true, value: null, raw };
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!match)
    return {
      ok: false,
      response: apiError(400, "invalid_if_match", 'If-Match must be the ETag of a read, e.g. "3".'),
    };
  return { ok: true, value: Number(match[1]), raw };
}

/** `Idempotency-Key` as a claim for this key and operation (null without the header), or a 400. */
export function readIdempotencyClaim(
  request: Request,
  principal: ApiKeyPrincipal,
  operation: string,
  raw: unknown,
  status: number,
): Parsed<IdempotencyClaim | null> {
  const key = readIdempotencyKey(request.headers);
  if (!key.ok) return { ok: false, response: apiError(400, "invalid_idempotency_key", key.message) };
  if (key.key === null) return { ok: true, value: null, raw };
  const requestHash = adminRequestHash(operation, raw);
  return { ok: true, value: { apiKeyId: principal.apiKeyId, key: key.key, operation, requestHash, status }, raw };
}

/** A billing group's settings with its version as a strong `ETag`. */
export function settingsResponse(settings: { version: number }, status = 200): Response {
  const response = apiJson(settings, status);
  response.headers.set("ETag", `"${settings.version}"`);
  return response;
}

/** The first answer again for a replayed `Idempotency-Key`, marked so a client can tell. */
export function markReplayed(response: Response, replayed: boolean): Response {
  if (replayed) response.headers.set("Idempotent-Replayed", "true");
  return response;
}
