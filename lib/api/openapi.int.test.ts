import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { ZodOpenApiPathsObject, ZodOpenApiResponseObject } from "zod-openapi";
import { apiRequest, createApiKeyFor, createScopedApiKey } from "@/tests/support/api";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";

// Issue 13: the generated document describes exactly what the handlers answer. Every documented
// status (but the 500 of an unexpected failure) is provoked here, and every answer is parsed with
// the documented schema of its status, which is strict, so an undocumented field fails too.

vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const { apiPaths } = await import("./openapi");
const { ADMIN_API_RATE, RateLimiter } = await import("./rate-limit");
const routes = {
  "/api/v1/usage": await import("@/app/api/v1/usage/route"),
  "/api/v1/usage/batch": await import("@/app/api/v1/usage/batch/route"),
  "/api/v1/members/{member}/entitlement": await import("@/app/api/v1/members/[member]/entitlement/route"),
  "/api/v1/billing-groups": await import("@/app/api/v1/billing-groups/route"),
  "/api/v1/billing-groups/export": await import("@/app/api/v1/billing-groups/export/route"),
  "/api/v1/billing-groups/{id}": await import("@/app/api/v1/billing-groups/[id]/route"),
  "/api/v1/billing-groups/{id}/limit": await import("@/app/api/v1/billing-groups/[id]/limit/route"),
  "/api/v1/billing-groups/{id}/members": await import("@/app/api/v1/billing-groups/[id]/members/route"),
  "/api/v1/members/{member}": await import("@/app/api/v1/members/[member]/route"),
  "/api/v1/members": await import("@/app/api/v1/members/route"),
  "/api/v1/openapi.json": await import("@/app/api/v1/openapi.json/route"),
} satisfies Record<keyof typeof apiPaths, unknown>;

const documented: ZodOpenApiPathsObject = apiPaths;
type DocumentedPath = keyof typeof apiPaths;
type Method = "get" | "post" | "put" | "patch" | "delete";
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

let orgId: string;
let key: string;
/** R44: a key with only `usage`, one with only `read`, and one with all three scopes. */
let usageOnlyKey: string;
let readOnlyKey: string;
let adminKey: string;
let groupId: string;
let personEmail: string;
let unlimitedEmail: string;
let inheritsEmail: string;

beforeAll(async () => {
  orgId = (await createOrg()).id;
  key = (await createApiKeyFor(orgId)).secret;
  usageOnlyKey = (await createScopedApiKey(orgId, ["usage"])).secret;
  readOnlyKey = (await createScopedApiKey(orgId, ["read"])).secret;
  adminKey = (await createScopedApiKey(orgId, ["usage", "read", "admin"])).secret;
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
  headers?: Record<string, string>;
};

/** The values of the path's `{parameters}` in `url`, as Next.js hands them to the handler. */
function paramsOf(path: string, url: string): Record<string, string> {
  const template = path.split("/");
  const actual = new URL(url, "http://localhost").pathname.split("/");
  const params: Record<string, string> = {};
  template.forEach((segment, index) => {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    if (name) params[name] = decodeURIComponent(actual[index]!);
  });
  return params;
}

/** Calls the route handler of `path` the way Next.js would, with the path's parameters. */
async function call({ path, method, url, key: apiKey = key, body, rawBody, headers }: Call): Promise<Response> {
  const request = apiRequest(url, { method: method.toUpperCase(), key: apiKey, body, rawBody, headers });
  const handlers: Record<string, unknown> = routes[path];
  const handler = handlers[method.toUpperCase()];
  if (typeof handler !== "function") throw new Error(`${path} exports no ${method.toUpperCase()}`);
  const context = { params: Promise.resolve(paramsOf(path, url)) };
  return (handler as (request: Request, context: unknown) => Promise<Response>)(request, context);
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
    await post({ body: usageEvent(), key: readOnlyKey }, 403);
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
    await post({ body: { events }, key: readOnlyKey }, 403);
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
    await get({ url: of(personEmail), key: readOnlyKey }, 403);
  });

  it("GET /api/v1/billing-groups", async () => {
    const get = operation("/api/v1/billing-groups", "get");
    await get({}, 200);
    await get({ url: "/api/v1/billing-groups?period=2001-01" }, 200);
    await get({ url: "/api/v1/billing-groups?period=2026-13" }, 400);
    await get({ key: null }, 401);
    await get({ key: usageOnlyKey }, 403);
  });

  it("GET /api/v1/members", async () => {
    const get = operation("/api/v1/members", "get");
    await get({ url: "/api/v1/members?limit=1" }, 200);
    await get({ url: "/api/v1/members?includeDeactivated=true" }, 200);
    await get({ url: `/api/v1/members?billingGroup=${groupId}` }, 200);
    await get({ url: "/api/v1/members?limit=0" }, 400);
    await get({ url: "/api/v1/members?billingGroup=nope" }, 400);
    await get({ key: null }, 401);
    await get({ key: usageOnlyKey }, 403);
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
    await get({ key: usageOnlyKey }, 403);
  });

  it("POST /api/v1/billing-groups (R44)", async () => {
    const post = operation("/api/v1/billing-groups", "post");
    const name = `Created ${randomUUID().slice(0, 8)}`;
    const once = { "Idempotency-Key": randomUUID() };
    await post({ key: adminKey, body: { name, defaultPersonalLimit: "25" }, headers: once }, 201);
    await post({ key: adminKey, body: { name, defaultPersonalLimit: "25" }, headers: once }, 201);
    await post({ key: adminKey, body: { name: "Other" }, headers: once }, 409);
    await post({ key: adminKey, body: { name: name.toUpperCase() } }, 409);
    await post({ key: adminKey, body: { name: "unassigned" } }, 400);
    await post({ key: adminKey, body: { name: "x", extra: 1 } }, 400);
    await post({ key: adminKey, rawBody: "{" }, 400);
    await post({ key: adminKey, body: { name: "y" }, headers: { "Idempotency-Key": "k".repeat(201) } }, 400);
    await post({ key: adminKey, rawBody: JSON.stringify({ name: "z", description: "d".repeat(600_000) }) }, 413);
    await post({ key: null, body: { name: "a" } }, 401);
    await post({ key, body: { name: "a" } }, 403);
    await testDb().execute(sql`update organizations set billing_group_cap = 1 where id = ${orgId}`);
    await post({ key: adminKey, body: { name: `Over ${randomUUID().slice(0, 8)}` } }, 402);
    await testDb().execute(sql`update organizations set billing_group_cap = 100 where id = ${orgId}`);
  });

  it("GET, PATCH and DELETE /api/v1/billing-groups/{id} (R44)", async () => {
    const of = (id: string) => `/api/v1/billing-groups/${id}`;
    const get = operation("/api/v1/billing-groups/{id}", "get");
    const patch = operation("/api/v1/billing-groups/{id}", "patch");
    const remove = operation("/api/v1/billing-groups/{id}", "delete");
    const group = await createBillingGroup(orgId);
    const taken = await createBillingGroup(orgId);
    await get({ url: of(group.id), key: readOnlyKey }, 200);
    await get({ url: of(randomUUID()), key: readOnlyKey }, 404);
    await get({ url: of("%00"), key: readOnlyKey }, 400);
    await get({ url: of(group.id), key: null }, 401);
    await get({ url: of(group.id), key: usageOnlyKey }, 403);

    const ifMatch = (version: number | string) => ({ "If-Match": `"${version}"` });
    await patch(
      { url: of(group.id), key: adminKey, body: { description: "New" }, headers: ifMatch(group.version) },
      200,
    );
    await patch(
      { url: of(group.id), key: adminKey, body: { description: "Stale" }, headers: ifMatch(group.version) },
      412,
    );
    await patch({ url: of(group.id), key: adminKey, body: { description: "x" }, headers: { "If-Match": "soon" } }, 400);
    await patch({ url: of(group.id), key: adminKey, body: {} }, 400);
    await patch({ url: of(group.id), key: adminKey, body: { name: taken.name } }, 409);
    await patch({ url: of("unassigned"), key: adminKey, body: { name: "Mine" } }, 409);
    await patch({ url: of(randomUUID()), key: adminKey, body: { name: "Gone" } }, 404);
    await patch(
      { url: of(group.id), key: adminKey, rawBody: JSON.stringify({ description: "d".repeat(600_000) }) },
      413,
    );
    await patch({ url: of(group.id), key: null, body: { name: "a" } }, 401);
    await patch({ url: of(group.id), key: readOnlyKey, body: { name: "a" } }, 403);

    await remove({ url: of(group.id), key: adminKey, body: { confirmName: "not it" } }, 409);
    await remove({ url: of(group.id), key: adminKey, body: { confirmName: group.name }, headers: ifMatch(1) }, 412);
    await remove({ url: of(group.id), key: adminKey, body: {} }, 400);
    await remove(
      { url: of(group.id), key: adminKey, rawBody: JSON.stringify({ confirmName: "d".repeat(600_000) }) },
      413,
    );
    await remove({ url: of(group.id), key: null, body: { confirmName: group.name } }, 401);
    await remove({ url: of(group.id), key: readOnlyKey, body: { confirmName: group.name } }, 403);
    await remove({ url: of(group.id), key: adminKey, body: { confirmName: group.name } }, 200);
    await remove({ url: of(group.id), key: adminKey, body: { confirmName: group.name } }, 404);
  });

  it("PUT /api/v1/billing-groups/{id}/limit (R44)", async () => {
    const of = (id: string) => `/api/v1/billing-groups/${id}/limit`;
    const put = operation("/api/v1/billing-groups/{id}/limit", "put");
    const group = await createBillingGroup(orgId);
    await put({ url: of(group.id), key: adminKey, body: { limit: "100" } }, 200);
    await put({ url: of(group.id), key: adminKey, body: { limit: null }, headers: { "If-Match": '"2"' } }, 200);
    await put({ url: of(group.id), key: adminKey, body: { limit: "5" }, headers: { "If-Match": '"2"' } }, 412);
    await put({ url: of(group.id), key: adminKey, body: { limit: "0" } }, 400);
    await put({ url: of(group.id), key: adminKey, body: { limit: 100 } }, 400);
    await put({ url: of("unassigned"), key: adminKey, body: { limit: "100" } }, 409);
    await put({ url: of(randomUUID()), key: adminKey, body: { limit: "100" } }, 404);
    await put(
      { url: of(group.id), key: adminKey, rawBody: JSON.stringify({ limit: "1", pad: "x".repeat(600_000) }) },
      413,
    );
    await put({ url: of(group.id), key: null, body: { limit: "1" } }, 401);
    await put({ url: of(group.id), key: readOnlyKey, body: { limit: "1" } }, 403);
  });

  it("POST /api/v1/billing-groups/{id}/members (R44)", async () => {
    const of = (id: string) => `/api/v1/billing-groups/${id}/members`;
    const post = operation("/api/v1/billing-groups/{id}/members", "post");
    const group = await createBillingGroup(orgId);
    const someone = await createMember(orgId);
    const once = { "Idempotency-Key": randomUUID() };
    await post({ url: of(group.id), key: adminKey, body: { members: [someone.email] }, headers: once }, 200);
    await post({ url: of(group.id), key: adminKey, body: { members: [someone.email] }, headers: once }, 200);
    await post({ url: of("unassigned"), key: adminKey, body: { members: [someone.email] }, headers: once }, 409);
    await post({ url: of("unassigned"), key: adminKey, body: { members: [someone.id] } }, 200);
    await post({ url: of(group.id), key: adminKey, body: { members: [someone.email, "ghost@example.test"] } }, 404);
    await post({ url: of(randomUUID()), key: adminKey, body: { members: [someone.email] } }, 404);
    await post({ url: of(group.id), key: adminKey, body: { members: [] } }, 400);
    await post(
      { url: of(group.id), key: adminKey, body: { members: [someone.email] }, headers: { "Idempotency-Key": " " } },
      400,
    );
    await post({ url: of(group.id), key: adminKey, rawBody: JSON.stringify({ members: ["x".repeat(600_000)] }) }, 413);
    await post({ url: of(group.id), key: null, body: { members: [someone.email] } }, 401);
    await post({ url: of(group.id), key: readOnlyKey, body: { members: [someone.email] } }, 403);
  });

  it("PATCH /api/v1/members/{member} (R44)", async () => {
    const of = (member: string) => `/api/v1/members/${encodeURIComponent(member)}`;
    const patch = operation("/api/v1/members/{member}", "patch");
    const someone = await createMember(orgId);
    await patch({ url: of(someone.email), key: adminKey, body: { personalLimit: "12.5", billingGroup: groupId } }, 200);
    await patch({ url: of(someone.id), key: adminKey, body: { personalLimit: null, billingGroup: "unassigned" } }, 200);
    await patch({ url: of(someone.email), key: adminKey, body: { personalLimit: "-1" } }, 400);
    await patch({ url: of(someone.email), key: adminKey, body: {} }, 400);
    await patch({ url: of("ghost@example.test"), key: adminKey, body: { personalLimit: "1" } }, 404);
    await patch({ url: of(someone.email), key: adminKey, body: { billingGroup: randomUUID() } }, 404);
    await patch(
      {
        url: of(someone.email),
        key: adminKey,
        rawBody: JSON.stringify({ personalLimit: "1", pad: "x".repeat(600_000) }),
      },
      413,
    );
    await patch({ url: of(someone.email), key: null, body: { personalLimit: "1" } }, 401);
    await patch({ url: of(someone.email), key: readOnlyKey, body: { personalLimit: "1" } }, 403);
  });

  it("answers 429 with Retry-After once a key's burst is spent (R44)", async () => {
    const burstKey = (await createScopedApiKey(orgId, ["read", "admin"])).secret;
    const group = await createBillingGroup(orgId);
    const targets: [DocumentedPath, Method, string, unknown][] = [
      ["/api/v1/billing-groups", "post", "/api/v1/billing-groups", { name: "" }],
      ["/api/v1/billing-groups/{id}", "get", `/api/v1/billing-groups/${group.id}`, undefined],
      ["/api/v1/billing-groups/{id}", "patch", `/api/v1/billing-groups/${group.id}`, {}],
      ["/api/v1/billing-groups/{id}", "delete", `/api/v1/billing-groups/${group.id}`, {}],
      ["/api/v1/billing-groups/{id}/limit", "put", `/api/v1/billing-groups/${group.id}/limit`, {}],
      ["/api/v1/billing-groups/{id}/members", "post", `/api/v1/billing-groups/${group.id}/members`, {}],
      ["/api/v1/members/{member}", "patch", "/api/v1/members/nobody%40example.test", {}],
    ];
    // The real limiter with its clock stopped, so a slow machine refills nothing mid-test.
    const limits = globalThis as unknown as { ledgerlineAdminRate?: InstanceType<typeof RateLimiter> };
    const running = limits.ledgerlineAdminRate;
    limits.ledgerlineAdminRate = new RateLimiter(ADMIN_API_RATE, 10_000, () => 0);
    try {
      // Spend the burst (60) with refused bodies, which change nothing, then every route is limited.
      for (let i = 0; i < ADMIN_API_RATE.burst; i++) {
        const [path, method, url, body] = targets[i % targets.length]!;
        expect((await call({ path, method, url, key: burstKey, body })).status).not.toBe(429);
      }
      for (const [path, method, url, body] of targets)
        await expectDocumentedAnswer({ path, method, url, key: burstKey, body }, 429);
    } finally {
      limits.ledgerlineAdminRate = running;
    }
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
