import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { ZodOpenApiPathsObject, ZodOpenApiResponseObject } from "zod-openapi";
import { apiRequest, createApiKeyFor } from "@/tests/support/api";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";

// Issue 13: the generated document describes exactly what the handlers answer. Every documented
// status (but the 500 of an unexpected failure) is provoked here, and every answer is parsed with
// the documented schema of its status, which is strict, so an undocumented field fails too.

vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const { apiPaths } = await import("./openapi");
const routes = {
  "/api/v1/usage": await import("@/app/api/v1/usage/route"),
  "/api/v1/usage/batch": await import("@/app/api/v1/usage/batch/route"),
  "/api/v1/members/{member}/entitlement": await import("@/app/api/v1/members/[member]/entitlement/route"),
  "/api/v1/billing-groups": await import("@/app/api/v1/billing-groups/route"),
  "/api/v1/billing-groups/export": await import("@/app/api/v1/billing-groups/export/route"),
  "/api/v1/members": await import("@/app/api/v1/members/route"),
  "/api/v1/openapi.json": await import("@/app/api/v1/openapi.json/route"),
} satisfies Record<keyof typeof apiPaths, unknown>;

const documented: ZodOpenApiPathsObject = apiPaths;
type DocumentedPath = keyof typeof apiPaths;
type Method = "get" | "post";
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

let orgId: string;
let key: string;
let groupId: string;
let personEmail: string;
let unlimitedEmail: string;
let inheritsEmail: string;

beforeAll(async () => {
  orgId = (await createOrg()).id;
  key = (await createApiKeyFor(orgId)).secret;
  groupId = (await createBillingGroup(orgId, { periodLimit: 300n })).id;
  personEmail = (await createMember(orgId, { personalLimit: 1_000n, billingGroupId: groupId })).email;
  unlimitedEmail = (await createMember(orgId, { personalLimit: null })).email;
  // R42: no limit of their own, so their billing group's Default Personal Limit applies.
  const withDefault = (await createBillingGroup(orgId, { defaultPersonalLimit: 500n })).id;
  inheritsEmail = (await createMember(orgId, { personalLimit: null, billingGroupId: withDefault })).email;
  await createMember(orgId, { personalLimit: 100n });
});

// Like lib/api/api.int.test.ts: suites that compare whole tables must not see this org's usage.
afterAll(async () => {
  await testDb().execute(sql`delete from organizations where id = ${orgId}`);
});

const seen = new Set<string>();

type Call = {
  path: DocumentedPath;
  method: Method;
  url: string;
  key?: string | null;
  body?: unknown;
  rawBody?: string;
};

/** Calls the route handler of `path` the way Next.js would, with the path's parameters. */
async function call({ path, method, url, key: apiKey = key, body, rawBody }: Call): Promise<Response> {
  const request = apiRequest(url, { method: method.toUpperCase(), key: apiKey, body, rawBody });
  if (path === "/api/v1/members/{member}/entitlement") {
    const member = decodeURIComponent(url.split("/")[4]!);
    return routes[path].GET(request, { params: Promise.resolve({ member }) });
  }
  const handlers: Record<string, unknown> = routes[path];
  const handler = handlers[method.toUpperCase()];
  if (typeof handler !== "function") throw new Error(`${path} exports no ${method.toUpperCase()}`);
  return (handler as (request: Request) => Promise<Response>)(request);
}

function documentedResponse(path: DocumentedPath, method: Method, status: number): ZodOpenApiResponseObject {
  const response = documented[path]?.[method]?.responses[`${status}` as `2${string}`];
  if (!response) throw new Error(`${method.toUpperCase()} ${path} answered ${status}, which is not documented`);
  if ("$ref" in response) throw new Error(`${path} ${status}: a plain $ref cannot be checked`);
  return response;
}

/** The answer has a documented status, media type, headers and, for JSON, a body the schema accepts. */
async function expectDocumentedAnswer(request: Call, expectedStatus: number) {
  const response = await call(request);
  expect(response.status, await response.clone().text()).toBe(expectedStatus);
  const answer = documentedResponse(request.path, request.method, response.status);
  seen.add(`${request.method} ${request.path} ${response.status}`);

  const mediaType = response.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
  const media = answer.content?.[mediaType];
  expect(media, `documented media type ${mediaType}`).toBeDefined();
  const schema = media?.schema;
  if (!(schema instanceof z.ZodType)) throw new Error(`${request.path} ${response.status}: not a zod schema`);
  const body: unknown = mediaType === "application/json" ? await response.json() : await response.text();
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues ?? [], JSON.stringify(body).slice(0, 500)).toEqual([]);

  if (answer.headers instanceof z.ZodObject)
    for (const header of Object.keys(answer.headers.shape))
      expect(response.headers.get(header), `header ${header}`).not.toBeNull();
}

const usageEvent = (overrides: Record<string, unknown> = {}) => ({
  member: personEmail,
  credits: "1",
  idempotencyKey: randomUUID(),
  ...overrides,
});

/** Sends requests to one documented operation; `url` defaults to the path itself. */
const operation =
  (path: DocumentedPath, method: Method) => (init: Partial<Omit<Call, "path" | "method">>, status: number) =>
    expectDocumentedAnswer({ path, method, url: path, ...init }, status);

describe("every answer of /api/v1 is the one documented for its status (issue 13)", () => {
  it("POST /api/v1/usage", async () => {
    const post = operation("/api/v1/usage", "post");
    const event = usageEvent();
    await post({ body: event }, 201);
    await post({ body: event }, 200);
    await post({ body: { ...event, credits: "2" } }, 409);
    await post({ rawBody: "{not json" }, 400);
    await post({ body: usageEvent({ credits: "0" }) }, 400);
    await post({ body: usageEvent(), key: null }, 401);
    await post({ body: usageEvent(), key: `ll_abcdefgh_${"A".repeat(43)}` }, 401);
    await post({ body: usageEvent({ member: inheritsEmail }) }, 201);
    await post({ body: usageEvent({ member: unlimitedEmail }) }, 402);
    await post({ body: usageEvent({ credits: "50" }) }, 402);
    await post({ body: usageEvent({ member: "nobody@example.test" }) }, 404);
    await post({ rawBody: JSON.stringify(usageEvent({ pad: "x".repeat(17_000) })) }, 413);
  });

  it("POST /api/v1/usage/batch", async () => {
    const post = operation("/api/v1/usage/batch", "post");
    const repeated = usageEvent({ credits: "0.5" });
    const events = [
      repeated,
      repeated,
      { ...repeated, credits: "0.75" },
      usageEvent({ credits: "nope" }),
      usageEvent({ credits: "50" }),
      usageEvent({ member: "ghost@example.test" }),
      "not an event",
    ];
    await post({ body: { events } }, 200);
    await post({ body: { events: [] } }, 400);
    await post({ body: { events: Array.from({ length: 1_001 }, () => usageEvent()) } }, 400);
    await post({ body: { nothing: true } }, 400);
    await post({ rawBody: "[" }, 400);
    await post({ body: { events }, key: null }, 401);
    await post({ rawBody: JSON.stringify({ events: [], pad: "x".repeat(1_100_000) }) }, 413);
  });

  it("GET /api/v1/members/{member}/entitlement", async () => {
    const get = operation("/api/v1/members/{member}/entitlement", "get");
    const of = (member: string) => `/api/v1/members/${encodeURIComponent(member)}/entitlement`;
    await get({ url: of(personEmail) }, 200);
    await get({ url: of(unlimitedEmail) }, 200);
    await get({ url: of(inheritsEmail) }, 200);
    await get({ url: of("x".repeat(321)) }, 400);
    await get({ url: of("nobody@example.test") }, 404);
    await get({ url: of(randomUUID()) }, 404);
    await get({ url: of(personEmail), key: null }, 401);
  });

  it("GET /api/v1/billing-groups", async () => {
    const get = operation("/api/v1/billing-groups", "get");
    await get({}, 200);
    await get({ url: "/api/v1/billing-groups?period=2001-01" }, 200);
    await get({ url: "/api/v1/billing-groups?period=2026-13" }, 400);
    await get({ key: null }, 401);
  });

  it("GET /api/v1/members", async () => {
    const get = operation("/api/v1/members", "get");
    await get({ url: "/api/v1/members?limit=1" }, 200);
    await get({ url: "/api/v1/members?includeDeactivated=true" }, 200);
    await get({ url: `/api/v1/members?billingGroup=${groupId}` }, 200);
    await get({ url: "/api/v1/members?limit=0" }, 400);
    await get({ url: "/api/v1/members?billingGroup=nope" }, 400);
    await get({ key: null }, 401);
  });

  it("GET /api/v1/billing-groups/export", async () => {
    const get = operation("/api/v1/billing-groups/export", "get");
    const query = (search: string) => `/api/v1/billing-groups/export?${search}`;
    await get({}, 200);
    await get({ url: query(`period=&billingGroup=${groupId}`) }, 200);
    await get({ url: query("billingGroup=unassigned") }, 200);
    await get({ url: query("period=2026-13") }, 400);
    await get({ url: query("period=2001-01") }, 400);
    await get({ url: query("billingGroup=nope") }, 400);
    await get({ url: query(`billingGroup=${randomUUID()}`) }, 404);
    await get({ key: null }, 401);
  });

  it("GET /api/v1/openapi.json", async () => {
    await operation("/api/v1/openapi.json", "get")({ key: null }, 200);
  });

  it("provoked every documented status but the 500 of an unexpected failure", () => {
    const statuses = Object.entries(documented).flatMap(([path, item]) =>
      HTTP_METHODS.flatMap((method) =>
        Object.keys(item?.[method]?.responses ?? {})
          .filter((status) => status !== "500")
          .map((status) => `${method} ${path} ${status}`),
      ),
    );
    expect(statuses.filter((status) => !seen.has(status))).toEqual([]);
  });

  it("each route module exports exactly the documented methods", () => {
    for (const [path, module] of Object.entries(routes)) {
      const exported = Object.keys(module)
        .filter((name) => (HTTP_METHODS as readonly string[]).includes(name.toLowerCase()))
        .map((name) => name.toLowerCase());
      const item = documented[path] ?? {};
      expect(exported.sort(), path).toEqual(HTTP_METHODS.filter((method) => item[method]).sort());
    }
  });
});
