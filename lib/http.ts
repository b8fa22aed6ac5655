import "server-only";
import { isDomainError, type DomainErrorCode } from "@/lib/errors";

const STATUS: Record<DomainErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  stale_period: 409,
  stale_write: 409,
  invalid_input: 400,
  limit_exceeded: 402,
};

/** Route handlers answer errors as JSON `{ error: code, message }` with a matching status. */
export function jsonError(status: number, error: string, message: string, headers?: HeadersInit): Response {
  return Response.json({ error, message }, { status, headers });
}

/** Maps typed domain errors to responses; anything else is logged and answered generically. */
export function errorResponse(error: unknown, context: string): Response {
  if (isDomainError(error)) return jsonError(STATUS[error.code], error.code, error.message);
  console.error(`[${context}] failed`, error);
  return jsonError(500, "internal", "Something went wrong on our side. Try again.");
}
