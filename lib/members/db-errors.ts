// PostgreSQL unique violations, seen through drizzle's wrapper (the driver error is its `cause`).
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === "object" && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const candidate = e as { code?: unknown; constraint_name?: unknown };
    if (candidate.code === "23505") return constraint === undefined || candidate.constraint_name === constraint;
  }
  return false;
}
