import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { captureLogLines } from "@/tests/support/log-lines";
import { describeError, logFailure, logInfo, redactMessage, requestIdFrom } from "./log";

class FakePostgresError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

describe("failure logs (R47)", () => {
  it("prints a failed query's class, code and message, never its SQL or parameters", () => {
    const secretHash = "9f2c1a7e".repeat(8);
    const cause = new FakePostgresError('invalid byte sequence for encoding "UTF8": 0x00', "22021");
    const failed = new DrizzleQueryError("select * from api_keys where secret_hash = $1", [secretHash], cause);
    const { lines, restore } = captureLogLines();

    logFailure("api POST /api/v1/usage", failed, "req-1");
    restore();

    expect(lines).toHaveLength(1);
    const line = lines[0] ?? "";
    expect(line).not.toContain(secretHash);
    expect(line).not.toContain("select");
    expect(JSON.parse(line)).toMatchObject({
      level: "error",
      where: "api POST /api/v1/usage",
      requestId: "req-1",
      error: { class: "FakePostgresError", code: "22021", message: 'invalid byte sequence for encoding "UTF8": 0x00' },
    });
  });

  it("is one JSON object per line with a timestamp, and blanks fields that may hold a secret", () => {
    const { lines, restore } = captureLogLines();
    logInfo("test", { password: "hunter2", nested: { authorization: "Bearer ll_x", apiKey: "ll_y" }, kept: 1 });
    restore();
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? "";
    for (const secret of ["hunter2", "ll_x", "ll_y"]) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ level: "info", where: "test", kept: 1, time: expect.any(String) });
  });

  it("cuts a quoted input value out of PostgreSQL's message", () => {
    expect(redactMessage('invalid input syntax for type uuid: "dev@example.com"')).toBe(
      'invalid input syntax for type uuid: "[redacted]"',
    );
    expect(describeError(new DrizzleQueryError("insert …", ["top-secret"])).message).toBe("query failed");
    expect(describeError("a string")).toEqual({ class: "string", message: "non-Error thrown" });
  });

  it("keeps a well-formed request id and replaces anything else", () => {
    expect(requestIdFrom(new Headers({ "x-request-id": "abc-123" }))).toBe("abc-123");
    expect(requestIdFrom(new Headers({ "x-request-id": "bad id; drop" }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("failed queries leaving the data layer (R47)", () => {
  it("keep SQLSTATE and constraint for classification, lose SQL, parameters and detail", async () => {
    const { quietQueryError, DatabaseError } = await import("./log");
    const { isUniqueViolation } = await import("./db-errors");
    const cause = Object.assign(
      new FakePostgresError('duplicate key value violates unique constraint "api_keys_hash"', "23505"),
      {
        constraint_name: "api_keys_hash",
        detail: "Key (secret_hash)=(deadbeef) already exists.",
      },
    );
    const quiet = quietQueryError(new DrizzleQueryError("insert into api_keys …", ["deadbeef"], cause));
    expect(quiet).toBeInstanceOf(DatabaseError);
    expect(isUniqueViolation(quiet, "api_keys_hash")).toBe(true);
    expect(JSON.stringify(quiet)).not.toContain("deadbeef");
    expect(String((quiet as Error).message)).not.toContain("deadbeef");
    expect((quiet as { cause?: unknown }).cause).toBeUndefined();
    const plain = new Error("not a query");
    expect(quietQueryError(plain)).toBe(plain);
  });
});
