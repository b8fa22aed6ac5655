// The one way server code reports a failure it did not expect (R47: logs never hold query
// parameters, bodies, secrets or their hashes). A failed query's Error from the ORM carries the
// SQL and every bound parameter in its message — an API key's hash, a typed email — so nothing
// here ever prints an error object as it is: only its class, its SQLSTATE code, a message with
// quoted values cut out, and the request id that ties the line to the response.

export type LoggedError = { class: string; code?: string; message: string };

const MAX_MESSAGE = 300;

/** Finds the innermost cause: the driver's error says what PostgreSQL refused, without the SQL. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth += 1) {
    const cause = current instanceof Error ? (current as { cause?: unknown }).cause : undefined;
    if (!(cause instanceof Error)) break;
    current = cause;
  }
  return current;
}

/**
 * PostgreSQL quotes the offending value at the end of many messages (`invalid input syntax for
 * type uuid: "…"`); the ORM's own messages list the parameters after `params:`. Both go.
 */
export function redactMessage(message: string): string {
  const withoutQuery = message.split(/\n|Failed query:/)[0] ?? "";
  return withoutQuery
    .replace(/:\s*".*"\s*$/s, ': "[redacted]"')
    .replace(/params:.*$/s, "params: [redacted]")
    .slice(0, MAX_MESSAGE);
}

export function describeError(error: unknown): LoggedError {
  const root = rootCause(error);
  if (!(root instanceof Error)) return { class: typeof root, message: "non-Error thrown" };
  const code = (root as { code?: unknown }).code;
  const message = /^Failed query:/.test(root.message) ? "query failed" : redactMessage(root.message);
  return {
    class: root.constructor?.name ?? root.name,
    ...(typeof code === "string" ? { code } : {}),
    message,
  };
}

/** A request id a client or proxy sent, if it looks like one; otherwise a fresh one. */
export function requestIdFrom(headers: Pick<Headers, "get"> | undefined): string {
  const sent = headers?.get("x-request-id");
  return sent && /^[A-Za-z0-9._-]{1,100}$/.test(sent) ? sent : crypto.randomUUID();
}

/** One JSON line on stderr: where it failed, the request id, and the described error only. */
export function logFailure(where: string, error: unknown, requestId?: string): void {
  console.error(JSON.stringify({ level: "error", where, requestId, error: describeError(error) }));
}

/**
 * What a failed query becomes before it leaves the data layer: PostgreSQL's SQLSTATE, constraint
 * and a redacted message, but neither the SQL, nor its parameters, nor the driver's `detail` (which
 * quotes the offending row's values). Anything that logs it later — Next's own error overlay and
 * logger included — cannot print a secret it never had. `code` and `constraint_name` keep their
 * driver names so lib/db-errors.ts classifies it exactly as before.
 */
export class DatabaseError extends Error {
  override readonly name = "DatabaseError";
  constructor(
    readonly code: string | undefined,
    readonly constraint_name: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export function quietQueryError(error: unknown): unknown {
  if (!(error instanceof Error) || !/^Failed query:/.test(error.message)) return error;
  const root = rootCause(error);
  if (root === error || !(root instanceof Error)) return new DatabaseError(undefined, undefined, "query failed");
  const { code, constraint_name } = root as { code?: unknown; constraint_name?: unknown };
  return new DatabaseError(
    typeof code === "string" ? code : undefined,
    typeof constraint_name === "string" ? constraint_name : undefined,
    redactMessage(root.message),
  );
}
