// The one PostgreSQL error walker: drizzle wraps the driver's error (it is the `cause`), so the
// SQLSTATE and constraint name are looked for down the cause chain.

type PgField = "code" | "constraint_name";

function pgField(error: unknown, field: PgField): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const value = (current as Record<string, unknown>)[field];
    if (typeof value === "string") return value;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export function pgErrorCode(error: unknown): string | null {
  return pgField(error, "code");
}

export function pgConstraint(error: unknown): string | null {
  return pgField(error, "constraint_name");
}

/** 23505, optionally on one named constraint (the partial unique indexes are the last word on races). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (pgErrorCode(error) !== "23505") return false;
  return constraint === undefined || pgConstraint(error) === constraint;
}

const RETRYABLE = new Set(["40001", "40P01"]);

/** A serialization failure or deadlock: the statement may simply be run again. */
export function isRetryableConflict(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code !== null && RETRYABLE.has(code);
}
