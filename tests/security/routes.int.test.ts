// Security suite, route handlers (issue 7): every route file under app/, found from the code, is
// called without credentials (and with the 2025 middleware-bypass header). Only an explicit list
// of public routes may answer; everything else refuses with 401 and records nothing.
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { billingGroupViewers, events } from "@/db/schema";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { ROOT, routeHandlerFiles } from "@/tests/support/server-actions";

const session: { current: { memberId: string; orgId: string; issuedAt: number } | null } = { current: null };
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
  authSecret: () => "security-suite-secret-".repeat(3),
}));
vi.mock("next-auth", async (original) => ({
  ...(await original<object>()),
  getServerSession: async () => session.current,
}));
vi.mock("next/server", async (original) => ({ ...(await original<object>()), connection: async () => undefined }));

// Public by design: liveness and readiness, next-auth's own endpoints, the API description, and the
// test clock (which answers 404 unless the server was started with LEDGERLINE_TEST_CLOCK=1).
const PUBLIC = new Set([
  "app/api/health/route.ts",
  "app/api/ready/route.ts",
  "app/api/auth/[...nextauth]/route.ts",
  "app/api/v1/openapi.json/route.ts",
  "app/api/test/clock/route.ts",
]);
// Console routes authorize by session and role; the rest by API key.
const SESSION_ROUTES = new Set([
  "app/api/export/billing-group-bills/route.ts",
  "app/api/export/billing-group-bills/preview/route.ts",
  "app/api/export/billing-group-bills/scopes/route.ts",
  "app/api/console/billing-groups/[id]/route.ts",
  "app/api/console/billing-groups/[id]/trends/route.ts",
  "app/api/console/billing-groups/[id]/viewers/route.ts",
  "app/api/console/billing-groups/[id]/statements/route.ts",
  "app/api/console/billing-groups/[id]/recipients/route.ts",
  "app/api/console/members/search/route.ts",
  "app/api/console/groups/[id]/candidates/route.ts",
  "app/api/console/webhooks/route.ts",
  "app/api/console/webhooks/[id]/deliveries/route.ts",
  "app/api/console/notifications/route.ts",
  "app/api/console/members/import/preview/route.ts",
  "app/api/console/members/import/apply/route.ts",
  "app/api/console/members/assignments/route.ts",
]);

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const routes: { file: string; method: string; handler: Handler }[] = [];
let orgId: string;

beforeAll(async () => {
  for (const file of routeHandlerFiles()) {
    const relative = path.relative(ROOT, file);
    const module = (await import(file)) as Record<string, unknown>;
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      if (typeof module[method] === "function")
        routes.push({ file: relative, method, handler: module[method] as Handler });
    }
  }
  orgId = (await createOrg("Routes", new Date("2026-01-01T00:00:00Z"))).id;
});

afterAll(async () => {
  await testDb().execute(sql`delete from organizations where id = ${orgId}`);
});

function requestFor(route: { file: string; method: string }, headers: Record<string, string> = {}) {
  const url = `http://localhost/${route.file
    .replace(/^app\//, "")
    .replace(/\/route\.ts$/, "")
    .replace(/\[[^\]]+\]/g, "someone@example.com")}`;
  const body =
    route.method === "GET"
      ? undefined
      : JSON.stringify({ member: "someone@example.com", credits: "1", idempotencyKey: "k", events: [] });
  return new Request(url, { method: route.method, headers: { "content-type": "application/json", ...headers }, body });
}

const context = { params: Promise.resolve({ member: "someone@example.com", nextauth: ["session"] }) };

async function usageRows() {
  const [row] = await testDb().execute<{ n: number }>(sql`select count(*)::int as n from usage_events`);
  return row!.n;
}

describe("every route handler", () => {
  it("is found from the code, and each non-public one says how it authenticates", () => {
    expect(routes.length).toBeGreaterThan(8);
    for (const { file } of routes) {
      if (PUBLIC.has(file) || SESSION_ROUTES.has(file)) continue;
      expect(file, "a new route must be listed as public, session or API-key authenticated").toMatch(/^app\/api\/v1\//);
    }
  });

  it("refuses a caller with no credentials — also when it sends x-middleware-subrequest — and records nothing", async () => {
    const before = await usageRows();
    for (const route of routes.filter((r) => !PUBLIC.has(r.file))) {
      const variants: Record<string, string>[] = [
        {},
        { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
      ];
      for (const headers of variants) {
        session.current = null;
        const response = await route.handler(requestFor(route, headers), context);
        expect(response.status, `${route.method} ${route.file}`).toBe(401);
        const body = await response.json();
        expect(Object.keys(body).sort(), `${route.method} ${route.file} error shape`).toEqual([
          "error",
          "message",
          "requestId",
        ]);
      }
    }
    expect(await usageRows()).toBe(before);
  });

  it("refuses a garbage or forged API key the same way", async () => {
    for (const route of routes.filter((r) => !PUBLIC.has(r.file) && !SESSION_ROUTES.has(r.file))) {
      for (const authorization of ["Bearer nope", `Bearer ll_aaaaaaaa_${"x".repeat(43)}`, "Basic YWRtaW46YWRtaW4="]) {
        const response = await route.handler(requestFor(route, { authorization }), context);
        expect(response.status, `${route.method} ${route.file} with ${authorization}`).toBe(401);
      }
    }
  });

  it("refuses console routes to a plain member (403) and to a deactivated admin (401)", async () => {
    const member = await createMember(orgId, { role: "member" });
    const gone = await createMember(orgId, { role: "admin", deactivatedAt: new Date() });
    for (const route of routes.filter((r) => SESSION_ROUTES.has(r.file))) {
      session.current = { orgId, memberId: member.id, issuedAt: Math.floor(Date.now() / 1000) };
      expect((await route.handler(requestFor(route), context)).status, `${route.file} as member`).toBe(403);
      session.current = { orgId, memberId: gone.id, issuedAt: Math.floor(Date.now() / 1000) };
      expect((await route.handler(requestFor(route), context)).status, `${route.file} as deactivated admin`).toBe(401);
    }
  });
});

describe("alerts and webhooks (R40, R41) called directly", () => {
  async function call(file: string, memberId: string, query = "") {
    const route = routes.find((r) => r.file === file && r.method === "GET")!;
    session.current = { orgId, memberId, issuedAt: Math.floor(Date.now() / 1000) };
    const params = Promise.resolve({ id: "00000000-0000-4000-8000-000000000000" });
    const url = `http://localhost/${file
      .replace(/^app\//, "")
      .replace(/\/route\.ts$/, "")
      .replace(/\[id\]/, "00000000-0000-4000-8000-000000000000")}${query}`;
    return route.handler(new Request(url), { params });
  }

  it("refuses the Webhooks routes to a billing admin and to a billing group viewer (403)", async () => {
    const billingAdmin = await createMember(orgId, { role: "billing_admin" });
    const viewer = await createMember(orgId, { role: "member" });
    const group = await createBillingGroup(orgId, { name: `Viewed ${Date.now()}` });
    await testDb().insert(billingGroupViewers).values({ orgId, billingGroupId: group.id, memberId: viewer.id });
    for (const file of ["app/api/console/webhooks/route.ts", "app/api/console/webhooks/[id]/deliveries/route.ts"]) {
      expect((await call(file, billingAdmin.id)).status, `${file} as billing admin`).toBe(403);
      expect((await call(file, viewer.id)).status, `${file} as viewer`).toBe(403);
    }
  });

  it("serves a group's usage trends (R45) to a viewer of that group only, and never another org's", async () => {
    const route = routes.find((r) => r.file === "app/api/console/billing-groups/[id]/trends/route.ts")!;
    const viewer = await createMember(orgId, { role: "member" });
    const admin = await createMember(orgId, { role: "admin" });
    const seen = await createBillingGroup(orgId, { name: `Trend seen ${Date.now()}` });
    const hidden = await createBillingGroup(orgId, { name: `Trend hidden ${Date.now()}` });
    const elsewhere = await createBillingGroup((await createOrg("Trends elsewhere")).id, { name: "Foreign" });
    await testDb().insert(billingGroupViewers).values({ orgId, billingGroupId: seen.id, memberId: viewer.id });
    const trends = (memberId: string, id: string) => {
      session.current = { orgId, memberId, issuedAt: Math.floor(Date.now() / 1000) };
      return route.handler(new Request(`http://localhost/api/console/billing-groups/${id}/trends`), {
        params: Promise.resolve({ id }),
      });
    };
    expect((await trends(viewer.id, seen.id)).status).toBe(200);
    expect((await trends(viewer.id, hidden.id)).status).toBe(403);
    expect((await trends(admin.id, hidden.id)).status).toBe(200);
    // Row-level security and the org filter: another org's group does not exist here.
    expect((await trends(admin.id, elsewhere.id)).status).toBe(404);
    expect((await trends(admin.id, "not-a-uuid")).status).toBe(404);
  });

  it("lists a viewer only the notifications of the groups they are granted", async () => {
    const viewer = await createMember(orgId, { role: "member", createdAt: new Date("2026-01-01T00:00:00Z") });
    const seen = await createBillingGroup(orgId, { name: `Seen ${Date.now()}`, periodLimit: 1_000n });
    const hidden = await createBillingGroup(orgId, { name: `Hidden ${Date.now()}`, periodLimit: 1_000n });
    await testDb().insert(billingGroupViewers).values({ orgId, billingGroupId: seen.id, memberId: viewer.id });
    const period = "2026-12";
    for (const group of [seen, hidden]) {
      await testDb()
        .insert(events)
        .values({
          orgId,
          type: "threshold.crossed",
          billingGroupId: group.id,
          period,
          threshold: 90,
          data: { billingGroup: { id: group.id, name: group.name }, period, threshold: 90, used: "900", limit: "1000" },
          createdAt: new Date(),
        });
    }
    const response = await call("app/api/console/notifications/route.ts", viewer.id);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { unread: number; items: { billingGroup: { id: string } | null }[] };
    expect(body.items.map((i) => i.billingGroup?.id)).toEqual([seen.id]);
    expect(body.unread).toBe(1);
  });
});

describe("the Members import (R43) called directly", () => {
  const period = periodOf(now());
  function importRequest(path: "preview" | "apply", csv: string, headers: Record<string, string> = {}, query = "") {
    return new Request(`http://localhost/api/console/members/import/${path}?period=${period}${query}`, {
      method: "POST",
      headers: { "content-type": "text/csv", host: "localhost", origin: "http://localhost", ...headers },
      body: csv,
    });
  }
  async function post(path: "preview" | "apply", memberId: string, csv: string, headers?: Record<string, string>) {
    const route = routes.find((r) => r.file === `app/api/console/members/import/${path}/route.ts`)!;
    session.current = { orgId, memberId, issuedAt: Math.floor(Date.now() / 1000) };
    return route.handler(importRequest(path, csv, headers), { params: Promise.resolve({}) });
  }
  const assignmentsOf = async (memberId: string) => {
    const route = routes.find((r) => r.file === "app/api/console/members/assignments/route.ts")!;
    session.current = { orgId, memberId, issuedAt: Math.floor(Date.now() / 1000) };
    return route.handler(new Request("http://localhost/api/console/members/assignments"), {
      params: Promise.resolve({}),
    });
  };
  const membersOfOrg = async (id: string) =>
    testDb().execute(sql`select id, billing_group_id, personal_limit from members where org_id = ${id} order by id`);

  it("admits billing admins, refuses a billing group viewer, and refuses requests from another site", async () => {
    const billingAdmin = await createMember(orgId, { role: "billing_admin" });
    const admin = await createMember(orgId, { role: "admin" });
    const viewer = await createMember(orgId, { role: "member" });
    const group = await createBillingGroup(orgId, { name: `Import viewed ${Date.now()}` });
    await testDb().insert(billingGroupViewers).values({ orgId, billingGroupId: group.id, memberId: viewer.id });
    const target = await createMember(orgId, { email: `import-target-${Date.now()}@example.test` });
    const csv = `Email,Billing Group\r\n${target.email},${group.name}\r\n`;
    const before = await membersOfOrg(orgId);

    expect((await post("preview", billingAdmin.id, csv)).status).toBe(200);
    expect((await assignmentsOf(billingAdmin.id)).status).toBe(200);
    expect((await post("preview", viewer.id, csv)).status).toBe(403);
    expect((await post("apply", viewer.id, csv)).status).toBe(403);
    expect((await assignmentsOf(viewer.id)).status).toBe(403);
    const crossSite: Record<string, string>[] = [
      { origin: "https://attacker.example" },
      { origin: "null" },
      { origin: "http://localhost", "sec-fetch-site": "cross-site" },
    ];
    for (const headers of crossSite) {
      for (const path of ["preview", "apply"] as const) {
        const response = await post(path, admin.id, csv, headers);
        expect(response.status, `${path} with ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    // R47: a control character in the query string is a 400 naming it, before anything is read.
    const nul = routes.find((r) => r.file === "app/api/console/members/import/preview/route.ts")!;
    session.current = { orgId, memberId: admin.id, issuedAt: Math.floor(Date.now() / 1000) };
    const tainted = await nul.handler(importRequest("preview", csv, {}, "&fingerprint=%00"), {
      params: Promise.resolve({}),
    });
    expect(tainted.status).toBe(400);
    expect((await tainted.json()).message).toMatch(/^fingerprint: Remove control characters/);
    const noOrigin = routes.find((r) => r.file === "app/api/console/members/import/apply/route.ts")!;
    const bare = importRequest("apply", csv);
    bare.headers.delete("origin");
    expect((await noOrigin.handler(bare, { params: Promise.resolve({}) })).status).toBe(403);
    expect(await membersOfOrg(orgId)).toEqual(before);
  });

  it("lets another org's admin see nothing of this org through a file naming its members and groups", async () => {
    const victim = await createMember(orgId, { email: `import-victim-${Date.now()}@example.test` });
    const group = await createBillingGroup(orgId, { name: `Import secret ${Date.now()}` });
    const other = await createOrg("Import attacker", new Date("2026-01-01T00:00:00Z"));
    const attacker = await createMember(other.id, { role: "admin" });
    const before = await membersOfOrg(orgId);
    const route = routes.find((r) => r.file === "app/api/console/members/import/preview/route.ts")!;
    session.current = { orgId: other.id, memberId: attacker.id, issuedAt: Math.floor(Date.now() / 1000) };
    const response = await route.handler(
      importRequest("preview", `Email,Billing Group,Personal Usage Limit\r\n${victim.email},${group.name},1\r\n`),
      { params: Promise.resolve({}) },
    );
    const body = (await response.json()) as { rows: { member: string | null; errors: string[] }[] };
    expect(body.rows[0]!.member).toBeNull();
    expect(body.rows[0]!.errors).toEqual([
      `No member has the email “${victim.email}”.`,
      `No billing group is named “${group.name}”.`,
    ]);
    expect(JSON.stringify(body)).not.toContain(victim.id);
    expect(await membersOfOrg(orgId)).toEqual(before);
    await testDb().execute(sql`delete from organizations where id = ${other.id}`);
  });
});

describe("API keys across organizations", () => {
  it("cannot record usage for, or read, another org's members — by id or by email", async () => {
    const { createApiKeyFor, apiRequest, send } = await import("@/tests/support/api");
    const usage = await import("@/app/api/v1/usage/route");
    const entitlement = await import("@/app/api/v1/members/[member]/entitlement/route");
    const list = await import("@/app/api/v1/members/route");
    const victim = await createMember(orgId, { email: `victim-${Date.now()}@example.test`, personalLimit: 100_000n });
    const attackerOrg = await createOrg("Attacker", new Date("2026-01-01T00:00:00Z"));
    const key = await createApiKeyFor(attackerOrg.id);
    const before = await usageRows();
    for (const member of [victim.id, victim.email]) {
      const recorded = await send(
        usage.POST,
        apiRequest("/api/v1/usage", { key: key.secret, body: { member, credits: "1", idempotencyKey: `x-${member}` } }),
      );
      expect(recorded.status).toBe(404);
      const read = await entitlement.GET(apiRequest(`/api/v1/members/${member}/entitlement`, { key: key.secret }), {
        params: Promise.resolve({ member }),
      });
      expect(read.status).toBe(404);
    }
    const listed = await send(
      list.GET,
      apiRequest(`/api/v1/members?email=${encodeURIComponent(victim.email)}`, { key: key.secret }),
    );
    expect(JSON.stringify(listed.body)).not.toContain(victim.id);
    expect(await usageRows()).toBe(before);
    await testDb().execute(sql`delete from organizations where id = ${attackerOrg.id}`);
  });
});
