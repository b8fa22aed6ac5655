import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

// Issue 13: the document must list exactly the route handlers under app/api/v1, and every status
// a handler answers with must be documented with its error code.

const ROOT = path.resolve(import.meta.dirname, "../..");
const API_DIR = path.join(ROOT, "app/api/v1");
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

type RouteFile = { file: string; path: string; source: string };

function routeFiles(dir: string): RouteFile[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name === "route.ts")
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file: path.relative(ROOT, file), path: openApiPathOf(file), source: readFileSync(file, "utf8") };
    });
}

/** app/api/v1/members/[member]/entitlement/route.ts → /api/v1/members/{member}/entitlement */
function openApiPathOf(file: string): string {
  const segments = path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep);
  return `/${segments
    .filter((segment) => !/^\(.*\)$/.test(segment)) // route groups are not part of the URL
    .map((segment) => {
      if (segment.startsWith("[...") || segment.startsWith("[[")) throw new Error(`No OpenAPI form for ${segment}`);
      return segment.replace(/^\[(.+)\]$/, "{$1}");
    })
    .join("/")}`;
}

/** The HTTP methods a route file exports, as `export const GET`, `export function GET` or `export { GET }`. */
function exportedMethods(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:const|let|(?:async\s+)?function)\s+([A-Z]+)\b/g))
    names.add(match[1]!);
  for (const match of source.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of match[1]!.split(","))
      names.add(
        part
          .trim()
          .split(/\s+as\s+/)
          .pop()!,
      );
  return HTTP_METHODS.filter((method) => names.has(method));
}

/** The part of a route file that defines `method`: from its export to the next export (or the end). */
function methodSource(source: string, method: string): string {
  const start = source.search(new RegExp(`export\\s+(?:const|let|(?:async\\s+)?function)\\s+${method}\\b`));
  if (start < 0) return source;
  const next = source.slice(start + 1).search(/\nexport\s/);
  return next < 0 ? source.slice(start) : source.slice(start, start + 1 + next);
}

const routes = routeFiles(API_DIR);
const paths = openApiDocument.paths ?? {};
type Json = Record<string, unknown>;

/** Follows a local `$ref` (`#/components/…`) of the generated document. */
function deref(node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  let target: unknown = openApiDocument;
  for (const key of ref.replace(/^#\//, "").split("/")) target = (target as Json)[key];
  if (!target) throw new Error(`Unresolved ${ref}`);
  return deref(target as Json);
}

function documentedOperation(route: RouteFile, method: string) {
  const operation = (paths[route.path] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
  if (!operation) throw new Error(`${method} ${route.path} (${route.file}) is not documented`);
  return operation as Json & { responses: Json; security?: unknown[] };
}

/** The `error` codes documented for one status of an operation. */
function documentedCodes(operation: { responses: Json }, status: string): string[] {
  const response = operation.responses[status];
  if (!response) return [];
  const schema = deref(((deref(response as Json).content as Json)["application/json"] as Json).schema as Json);
  // A status with more than one body shape (R44's 404 of an assignment) documents each one's codes.
  const shapes = ((schema.anyOf ?? schema.oneOf) as Json[] | undefined)?.map(deref) ?? [schema];
  return shapes.flatMap((shape) => ((shape.properties as Json).error as { enum: string[] }).enum);
}

/**
 * `apiError(status, "code", …)` calls of a handler, with every snake_case literal among the
 * arguments that is not the operand of a comparison (`issue.code === "too_big" ? "a" : "b"`).
 */
function apiErrorCalls(source: string): { status: string; codes: string[] }[] {
  const calls: { status: string; codes: string[] }[] = [];
  for (const match of source.matchAll(/apiError\(\s*(\d{3})\s*,/g)) {
    let depth = 1;
    let end = match.index + "apiError(".length;
    while (depth > 0 && end < source.length) {
      if (source[end] === "(") depth++;
      if (source[end] === ")") depth--;
      end++;
    }
    const args = source.slice(match.index, end);
    const codes = [...args.matchAll(/(?<![!=]==\s*)"([a-z]+(?:_[a-z]+)*)"(?!\s*[!=]==)/g)].map(
      (literal) => literal[1]!,
    );
    calls.push({ status: match[1]!, codes });
  }
  return calls;
}

describe("the OpenAPI document and the route files agree (issue 13)", () => {
  it("finds the route files", () => {
    expect(routes.map((route) => route.path)).toContain("/api/v1/members/{member}/entitlement");
    expect(routes.map((route) => route.path)).toContain("/api/v1/billing-groups/export");
  });

  it("documents every exported HTTP method of every route under app/api/v1", () => {
    const fromFiles = routes.flatMap((route) => exportedMethods(route.source).map((m) => `${m} ${route.path}`));
    expect(fromFiles.length).toBeGreaterThanOrEqual(routes.length);
    const fromDocument = Object.entries(paths).flatMap(([documentedPath, item]) =>
      HTTP_METHODS.filter((method) => (item as Json)[method.toLowerCase()]).map((m) => `${m} ${documentedPath}`),
    );
    expect(fromDocument.sort()).toEqual(fromFiles.sort());
  });

  it("is a valid OpenAPI 3.1 document whose references all resolve", async () => {
    const validator = new Validator();
    // As served: the document after a JSON round trip.
    const served = JSON.parse(JSON.stringify(openApiDocument)) as Record<string, unknown>;
    const result = await validator.validate(served);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it.each(routes)("$path: every status its handler answers is documented with its codes", (route) => {
    for (const method of exportedMethods(route.source)) {
      const operation = documentedOperation(route, method);
      const source = methodSource(route.source, method);
      const statuses = Object.keys(operation.responses);
      expect(statuses.some((status) => /^2\d\d$/.test(status))).toBe(true);
      const expected: { status: string; codes: string[] }[] = apiErrorCalls(source);
      const admin = /\badminRoute\(/.test(source);
      if (/\b(authenticate|readApiKey)\(/.test(source) || admin) {
        expected.push({ status: "401", codes: ["unauthorized"] }, { status: "403", codes: ["insufficient_scope"] });
        expect(operation.security, "an authenticated route must not drop the bearer scheme").not.toEqual([]);
      } else {
        expect(operation.security, "a public route says so with `security: []`").toEqual([]);
      }
      if (/\bapiRoute\(/.test(source) || admin) expected.push({ status: "500", codes: ["internal"] });
      // R44: lib/api/admin.ts rate-limits per key, reads bodies, paths, If-Match and Idempotency-Key.
      if (admin) expected.push({ status: "429", codes: ["rate_limited"] });
      if (/\breadPath\(/.test(source))
        expected.push({ status: "404", codes: ["not_found"] }, { status: "400", codes: ["invalid_path"] });
      if (/\breadIfMatch\(/.test(source))
        expected.push(
          { status: "400", codes: ["invalid_if_match"] },
          { status: "412", codes: ["precondition_failed"] },
        );
      if (/\breadIdempotencyClaim\(/.test(source))
        expected.push(
          { status: "400", codes: ["invalid_idempotency_key"] },
          { status: "409", codes: ["idempotency_conflict"] },
        );
      if (/\b(readJsonBody|readAdminBody)\(/.test(source))
        expected.push({ status: "400", codes: ["invalid_json"] }, { status: "413", codes: ["payload_too_large"] });
      for (const { status, codes } of expected) {
        expect(statuses, `${method} ${route.path} answers ${status}`).toContain(status);
        for (const code of codes) expect(documentedCodes(operation, status), `${status} ${code}`).toContain(code);
      }
    }
  });

  it("documents every path parameter of every templated path", () => {
    for (const [documentedPath, item] of Object.entries(paths)) {
      const names = [...documentedPath.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const method of HTTP_METHODS) {
        const operation = (item as Json)[method.toLowerCase()] as { parameters?: Json[] } | undefined;
        if (!operation) continue;
        const inPath = (operation.parameters ?? [])
          .map(deref)
          .filter((parameter) => parameter.in === "path")
          .map((parameter) => parameter.name);
        expect(inPath.sort(), `${method} ${documentedPath}`).toEqual(names.sort());
      }
    }
  });

  it("describes the API key as a bearer security scheme", () => {
    expect(openApiDocument.openapi).toBe("3.1.0");
    expect(openApiDocument.security).toEqual([{ apiKey: [] }]);
    expect(openApiDocument.components?.securitySchemes?.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
  });
});
