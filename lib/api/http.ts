import "server-only";
import { getDb, withOrg } from "@/db";
import { apiKeyNeedsTouch, findLiveApiKeyBySecret, touchApiKey, type AuthenticatedKey } from "@/lib/api-keys/queries";
import { bearerToken, looksLikeApiKey } from "@/lib/api-keys/rules";
import { apiKeyPrincipal, type ApiKeyPrincipal } from "@/lib/auth/principal";
import type { ApiKeyScope } from "@/lib/api-keys/rules";
import { InsufficientScopeError, isDomainError, ItemsRefusedError, type DomainErrorCode } from "@/lib/errors";
import { logFailure, requestIdFrom } from "@/lib/log";
import { noteRequestOrg } from "@/lib/runtime/request-notes";
import type { IngestOutcome } from "@/lib/usage/access";

// Shared plumbing of the route handlers: one error shape, bounded body reading and API-key
// authentication. Every error body is `{ "error": code, "message": text, "requestId": id }` (R30,
// issue 20: the id is also in X-Request-Id and in the server's log lines). This is the one place
// where domain errors and usage outcomes become HTTP statuses; the services know nothing of HTTP.

const NO_STORE = { "Cache-Control": "no-store" };

export function apiJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

export function apiError(status: number, error: string, message: string): Response {
  return apiJson({ error, message }, status);
}

/** A 500 in the one error shape; the log line and the response share a request id (never the cause's details). */
export function internalError(where: string, cause: unknown, requestId: string = crypto.randomUUID()): Response {
  logFailure(`api ${where}`, cause, requestId);
  const response = apiError(
    500,
    "internal",
    "Something went wrong on our side. Nothing was recorded; retry with the same idempotencyKey.",
  );
  response.headers.set("X-Request-Id", requestId);
  return response;
}

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  stale_period: 409,
  stale_write: 409,
  invalid_input: 400,
  too_large: 413,
  limit_exceeded: 402,
  insufficient_scope: 403,
  precondition_failed: 412,
  idempotency_conflict: 409,
};

/** R30, R31: the status of each usage outcome. */
const USAGE_OUTCOME_STATUS: Record<IngestOutcome["kind"], number> = {
  accepted: 201,
  replayed: 200,
  invalid_body: 400,
  rejected: 402,
  member_not_found: 404,
  idempotency_conflict: 409,
};

export function usageOutcomeStatus(outcome: IngestOutcome): number {
  return USAGE_OUTCOME_STATUS[outcome.kind];
}

export function usageOutcomeResponse(outcome: IngestOutcome): Response {
  return apiJson(outcome.body, usageOutcomeStatus(outcome));
}

/** Typed domain errors as `{ error: code, message }` with a matching status; anything else is a logged 500. */
export function errorResponse(error: unknown, where: string, requestId?: string): Response {
  if (error instanceof InsufficientScopeError) return insufficientScope(error.scope);
  if (isDomainError(error)) {
    const body: Record<string, unknown> = { error: error.code, message: error.message };
    // R44: which field a conflict is about (a duplicate `name`, a wrong `confirmName`), for programs.
    if (error.fieldErrors) body.fields = error.fieldErrors;
    if (error instanceof ItemsRefusedError) body.errors = error.items;
    return apiJson(body, DOMAIN_STATUS[error.code]);
  }
  return internalError(where, error, requestId);
}

/** R44: a live key without the scope the route needs; the body names the scope. */
export function insufficientScope(scope: ApiKeyScope): Response {
  return apiJson({ error: "insufficient_scope", message: new InsufficientScopeError(scope).message, scope }, 403);
}

/**
 * Issue 20: the request id in `X-Request-Id` on every answer, and as `requestId` in the body of
 * every JSON error (after the fields it already had), so a client can quote it and find the log.
 */
export async function withRequestId(response: Response, requestId: string): Promise<Response> {
  response.headers.set("X-Request-Id", requestId);
  if (response.status < 400 || !response.headers.get("content-type")?.includes("application/json")) return response;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  if (body === null || typeof body !== "object" || Array.isArray(body)) return response;
  return new Response(JSON.stringify({ ...body, requestId }), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * Wraps a route handler so that nothing escapes as an HTML error page: any unexpected failure
 * (database down, client hung up mid-body) becomes a JSON 500 in the one error shape.
 */
export function apiRoute<Args extends unknown[]>(
  where: string,
  handler: (request: Request, ...rest: Args) => Promise<Response>,
) {
  return async (request: Request, ...rest: Args): Promise<Response> => {
    const requestId = requestIdFrom(request.headers);
    let response: Response;
    try {
      response = await handler(request, ...rest);
    } catch (error) {
      response = internalError(where, error, requestId);
    }
    return withRequestId(response, requestId);
  };
}

export type BodyResult = { ok: true; value: unknown } | { ok: false; response: Response };

/**
 * Reads a JSON body of at most `maxBytes`, refusing early on Content-Length and again while
 * streaming (a chunked body carries no length), so an oversized body is never held whole.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const tooLarge = (): BodyResult => ({
    ok: false,
    response: apiError(
      413,
      "payload_too_large",
      `The request body must be at most ${maxBytes.toLocaleString("en-US")} bytes.`,
    ),
  });
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  if (!request.body)
    return { ok: false, response: apiError(400, "invalid_json", "The request body must be a JSON object.") };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return tooLarge();
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: apiError(400, "invalid_json", "The request body is not valid JSON.") };
  }
}

export type AuthResult = { ok: true; principal: ApiKeyPrincipal } | { ok: false; response: Response };

function unauthorized(message: string): Response {
  return new Response(JSON.stringify({ error: "unauthorized", message }), {
    status: 401,
    headers: { "Content-Type": "application/json", "WWW-Authenticate": 'Bearer realm="ledgerline"', ...NO_STORE },
  });
}

/** R30: the 401 for a key that is well formed but unknown or revoked. */
export function unknownApiKeyResponse(): Response {
  return unauthorized("This API key is unknown or has been revoked.");
}

export type CredentialResult = { ok: true; secret: string } | { ok: false; response: Response };

/**
 * The request's API key if it is well formed, without touching the database: a missing or
 * malformed key is refused here; only the database can tell a live key from an unknown one.
 */
export function readApiKey(request: Request): CredentialResult {
  const secret = bearerToken(request.headers.get("authorization"));
  if (!secret) return { ok: false, response: unauthorized("Send an API key as `Authorization: Bearer <key>`.") };
  if (!looksLikeApiKey(secret)) return { ok: false, response: unknownApiKeyResponse() };
  return { ok: true, secret };
}

/**
 * R30: 401 for a missing, unknown or revoked key; R44: 403 `insufficient_scope` for a live key
 * without `scope`. The key row is read on every request, so a revoke or a scope takes effect at once.
 */
export async function authenticate(request: Request, scope: ApiKeyScope): Promise<AuthResult> {
  const credential = readApiKey(request);
  if (!credential.ok) return credential;
  const key = await findLiveApiKeyBySecret(getDb(), { secret: credential.secret });
  if (!key) return { ok: false, response: unknownApiKeyResponse() };
  noteRequestOrg(request.headers, key.orgId);
  await recordApiKeyUse(key);
  if (!key.scopes.includes(scope)) return { ok: false, response: insufficientScope(scope) };
  return { ok: true, principal: apiKeyPrincipal(key) };
}

/** Informational last-used time (at most once a minute per key): a failure to record it must not fail the request. */
export async function recordApiKeyUse(key: AuthenticatedKey): Promise<void> {
  if (!apiKeyNeedsTouch(key)) return;
  await withOrg(key.orgId, (tx) => touchApiKey(tx, key)).catch((error) => logFailure("api last-used update", error));
}
