import pino, { type DestinationStream, type Logger } from "pino";

// The one way server code writes a log line: pino, one JSON object per line on stdout (pretty in
// development when the optional pino-pretty is installed). R47: logs never hold query parameters,
// bodies, secrets or their hashes. A failed query's Error from the ORM carries the SQL and every
// bound parameter in its message — an API key's hash, a typed email — so nothing here ever prints
// an error object as it is: only its class, its SQLSTATE code, a message with quoted values cut
// out, and the request id that ties the line to the response. The redact list below is a second
// belt for fields that must never be logged even if a caller passes them by mistake.

export type LoggedError = { class: string; code?: string; message: string };

const MAX_MESSAGE = 300;
const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

const REDACTED_FIELDS = ["password", "secret", "apiKey", "token", "authorization", "cookie", "headers"];

/** The options every Ledgerline logger shares; `LOG_LEVEL` picks the level (info by default). */
function loggerOptions(): pino.LoggerOptions {
  const level = process.env.LOG_LEVEL?.trim().toLowerCase();
  return {
    level: level && LEVELS.includes(level) ? level : "info",
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`]), censor: "[redacted]" },
  };
}

/** A logger writing to `destination` (tests pass a buffer); the app uses `log` below. */
export function createLogger(destination?: DestinationStream): Logger {
  if (destination) return pino(loggerOptions(), destination);
  // pino-pretty is a dev dependency, loaded by pino's transport only in `next dev` / `npm run dev`.
  if (process.env.NODE_ENV === "development" && process.env.LOG_FORMAT !== "json") {
    try {
      return pino({ ...loggerOptions(), transport: { target: "pino-pretty", options: { colorize: true } } });
    } catch {
      // not installed (a production install run in development mode): plain JSON lines
    }
  }
  // stdout is synchronous for files and pipes on Linux, so no line is lost on process.exit.
  return pino(loggerOptions(), process.stdout);
}

// One logger per process, shared by every bundle Next makes of this module (instrumentation,
// route handlers, pages) — and by tests, which swap it for one writing to a buffer.
const globalForLog = globalThis as unknown as { ledgerlineLogger?: Logger };

export function logger(): Logger {
  globalForLog.ledgerlineLogger ??= createLogger();
  return globalForLog.ledgerlineLogger;
}

/** Replaces the process's logger (tests); returns the one it replaced. */
export function replaceLogger(replacement: Logger | undefined): Logger | undefined {
  const previous = globalForLog.ledgerlineLogger;
  globalForLog.ledgerlineLogger = replacement;
  return previous;
}

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

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** A request id a client or proxy sent, if it looks like one; otherwise a fresh one. */
export function requestIdOrNew(sent: string | null | undefined): string {
  return sent && REQUEST_ID.test(sent) ? sent : crypto.randomUUID();
}

/** The request's id (lib/runtime/request-hooks.ts puts one on every request it sees), or a fresh one. */
export function requestIdFrom(headers: Pick<Headers, "get"> | undefined): string {
  return requestIdOrNew(headers?.get("x-request-id"));
}

/** One error line: where it failed, the request id, and the described error only. */
export function logFailure(where: string, error: unknown, requestId?: string): void {
  logger().error({ where, requestId, error: describeError(error) }, "unexpected failure");
}

/** One info line about something that happened (a job's outcome, a shutdown step). */
export function logInfo(where: string, fields: object = {}, message = where): void {
  logger().info({ where, ...fields }, message);
}

/** One warning line (a misconfiguration the process can live with). */
export function logWarning(where: string, message: string): void {
  logger().warn({ where }, message);
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
