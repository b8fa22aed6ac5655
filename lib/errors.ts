import type { ApiKeyScope } from "@/lib/api-keys/rules";

// Typed domain errors: a constant code for programs, a clear message for people.

export type DomainErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "stale_period"
  | "stale_write"
  | "invalid_input"
  | "too_large"
  | "limit_exceeded"
  | "insufficient_scope"
  | "precondition_failed"
  | "idempotency_conflict";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export class UnauthenticatedError extends DomainError {
  constructor() {
    super("unauthenticated", "You are signed out. Sign in again to continue.");
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "You do not have access to this.") {
    super("forbidden", message);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super("not_found", `${what} no longer exists. Reload to see the current state.`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, field?: string) {
    super("conflict", message, field ? { [field]: [message] } : undefined);
  }
}

export class StalePeriodError extends DomainError {
  constructor() {
    super("stale_period", "This period has ended — reload to work in the current period.");
  }
}

export class StaleWriteError extends DomainError {
  constructor(what: string) {
    super("stale_write", `${what} was changed by someone else since you opened it. Reload and try again.`);
  }
}

/** R44: an API key without the scope a route needs (403). */
export class InsufficientScopeError extends DomainError {
  constructor(readonly scope: ApiKeyScope) {
    super(
      "insufficient_scope",
      `This API key lacks the \`${scope}\` scope. Create a key with it on the API Keys screen.`,
    );
  }
}

/** R44: `If-Match` named a version of the billing group that is no longer current (412). */
export class PreconditionFailedError extends DomainError {
  constructor(what: string) {
    super("precondition_failed", `${what} has changed since that version (If-Match). Read it again and retry.`);
  }
}

/** One refused item of a list request (R44's assignments): which entry, and why. */
export type ItemError = { index: number; member: string; error: string; message: string };

/** R44: a list request refused as a whole because of some of its entries, each listed. */
export class ItemsRefusedError extends DomainError {
  constructor(
    code: DomainErrorCode,
    message: string,
    readonly items: readonly ItemError[],
  ) {
    super(code, message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
