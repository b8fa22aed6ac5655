// Security suite, input hygiene (issue 22, R47): NUL and other control characters are a 400 (or a
// field error) naming the field on every way in — every server action, the metering API's bodies,
// query strings, path parameters and cursors — and nothing changes. A failed query's log line
// holds neither its SQL nor its parameters.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog } from "@/db/schema";
import { ACTION_ROLES, GUARDED_ACTION, type ActionResult } from "@/lib/actions";
import type { Role } from "@/lib/auth/roles";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { apiRequest, createApiKeyFor, createScopedApiKey, send, withParams } from "@/tests/support/api";
import { createMember, createOrg, testDb } from "@/tests/support/db";
import { captureLogLines } from "@/tests/support/log-lines";
import { serverActionModules } from "@/tests/support/server-actions";

const session: { current: { memberId: string; orgId: string; issuedAt: number } | null } = { current: null };

vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
  authSecret: () => "input-hygiene-suite-secret-".repeat(3),
}));
vi.mock("next-auth", async (original) => ({
  ...(await original<object>()),
  getServerSession: async () => session.current,
}));
vi.mock("next/server", async (original) => ({ ...(await original<object>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

type Action = ((input: unknown) => Promise<ActionResult<unknown>>) & {
  [GUARDED_ACTION]?: string;
  [ACTION_ROLES]?: readonly Role[];
};

const usageRoute = await import("@/app/api/v1/usage/route");
const batchRoute = await import("@/app/api/v1/usage/batch/route");
const membersRoute = await import("@/app/api/v1/members/route");
const entitlementRoute = await import("@/app/api/v1/members/[member]/entitlement/route");
const exportRoute = await import("@/app/api/v1/billing-groups/export/route");
const groupsRoute = await import("@/app/api/v1/billing-groups/route");
const groupRoute = await import("@/app/api/v1/billing-groups/[id]/route");
const assignRoute = await import("@/app/api/v1/billing-groups/[id]/members/route");
const memberRoute = await import("@/app/api/v1/members/[member]/route");
const { apiRoute } = await import("@/lib/api/http");
const { withOrg } = await import("@/db");

const NUL = "\u0000";
let orgId = "";
let adminId = "";
let key = "";
let email = "";

const auditCount = async () =>
  Number((await testDb().select({ n: sql<number>`count(*)` }).from(auditLog).where(sql`org_id = ${orgId}`))[0]?.n);
const eventCount = async () =>
  Number(
    (await testDb().execute<{ n: string }>(sql`select count(*) as n from usage_events where org_id = ${orgId}`))[0]?.n,
  );

beforeAll(async () => {
  const org = await createOrg("Input hygiene", new Date("2026-01-01T00:00:00Z"));
  orgId = org.id;
  email = `hygiene-${randomUUID().slice(0, 6)}@example.test`;
  adminId = (await createMember(orgId, { role: "admin" })).id;
  await createMember(orgId, { email, personalLimit: 10_000n });
  key = (await createApiKeyFor(orgId)).secret;
});

afterAll(async () => {
  await testDb().execute(sql`delete from organizations where id = ${orgId}`);
});

describe("server actions refuse control characters with a field error and change nothing", () => {
  it("every exported action, found from the code, names the field", async () => {
    session.current = { memberId: adminId, orgId, issuedAt: Math.floor(Date.now() / 1000) + 60 };
    const before = await auditCount();
    let checked = 0;
    for (const file of serverActionModules()) {
      const exported = (await import(file)) as Record<string, Action>;
      for (const action of Object.values(exported)) {
        if (!action[ACTION_ROLES]?.includes("admin")) continue;
        const result = await action({ period: periodOf(now()), name: `Ops${NUL}`, description: "fine" });
        expect(result, action[GUARDED_ACTION]).toMatchObject({
          ok: false,
          code: "invalid_input",
          fieldErrors: { name: ["Remove control characters (such as NUL) from this field."] },
        });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(await auditCount()).toBe(before);
    session.current = null;
  });
});

describe("the metering API answers 400 naming the field", () => {
  it("in a usage body, a batch event, a query string, a path parameter and a cursor", async () => {
    const usage = await send(
      usageRoute.POST,
      apiRequest("/api/v1/usage", { key, body: { member: `${email}${NUL}`, credits: "1", idempotencyKey: "k1" } }),
    );
    expect(usage.status).toBe(400);
    expect(usage.body.message).toMatch(/member/);

    const batch = await send(
      batchRoute.POST,
      apiRequest("/api/v1/usage/batch", {
        key,
        body: { events: [{ member: email, credits: "1", idempotencyKey: `k2${NUL}` }] },
      }),
    );
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ results: [{ index: 0, status: 400 }] });
    expect(JSON.stringify(batch.body)).toMatch(/idempotencyKey/);

    const byEmail = await send(membersRoute.GET, apiRequest("/api/v1/members?email=%00", { key }));
    expect(byEmail).toMatchObject({ status: 400, body: { error: "invalid_query" } });
    expect(byEmail.body.message).toMatch(/email/);

    const cursor = Buffer.from(`x${NUL}`, "utf8").toString("base64url");
    const byCursor = await send(membersRoute.GET, apiRequest(`/api/v1/members?cursor=${cursor}`, { key }));
    expect(byCursor).toMatchObject({ status: 400, body: { error: "invalid_query" } });
    expect(byCursor.body.message).toMatch(/cursor/);

    const entitlement = await entitlementRoute.GET(apiRequest(`/api/v1/members/x/entitlement`, { key }), {
      params: Promise.resolve({ member: `${email}${NUL}` }),
    });
    expect(entitlement.status).toBe(400);

    const bill = await send(exportRoute.GET, apiRequest("/api/v1/billing-groups/export?billingGroup=%00", { key }));
    expect(bill.status).toBe(400);

    expect(await eventCount()).toBe(0);
  });

  it("on the admin API: in a body, a nested list entry, a header key and a path parameter (R44)", async () => {
    const adminKey = (await createScopedApiKey(orgId, ["read", "admin"])).secret;
    const before = await auditCount();
    const group = withParams(groupRoute.PATCH, { id: `x${NUL}` });
    const answers = [
      [
        await send(
          groupsRoute.POST,
          apiRequest("/api/v1/billing-groups", { key: adminKey, body: { name: `R${NUL}` } }),
        ),
        "name",
      ],
      [
        await send(
          withParams(assignRoute.POST, { id: "unassigned" }),
          apiRequest("/api/v1/billing-groups/unassigned/members", {
            key: adminKey,
            body: { members: [email, `${email}${NUL}`] },
          }),
        ),
        "members.1",
      ],
      [
        await send(
          withParams(memberRoute.PATCH, { member: `${email}${NUL}` }),
          apiRequest("/api/v1/members/x", { method: "PATCH", key: adminKey, body: { personalLimit: "1" } }),
        ),
        "member",
      ],
      [
        await send(
          group,
          apiRequest("/api/v1/billing-groups/x", { method: "PATCH", key: adminKey, body: { name: "Y" } }),
        ),
        "id",
      ],
    ] as const;
    for (const [answer, field] of answers) {
      expect(answer.status, field).toBe(400);
      expect(answer.body.message, field).toContain(field);
    }
    const keyed = await send(
      groupsRoute.POST,
      apiRequest("/api/v1/billing-groups", {
        key: adminKey,
        body: { name: "Fine" },
        headers: { "Idempotency-Key": "a\u007fb" },
      }),
    );
    expect(keyed).toMatchObject({ status: 400, body: { error: "invalid_idempotency_key" } });
    expect(await auditCount()).toBe(before);
  });
});

describe("failure logs (R47)", () => {
  it("a failed query's log line carries class, code, message and request id — no parameter value", async () => {
    const secret = `secret-${randomUUID()}`;
    const { lines, restore } = captureLogLines();
    const failing = apiRoute("GET /test/failing-query", async () => {
      await withOrg(orgId, (tx) => tx.execute(sql`select ${secret}::uuid`));
      return new Response("unreachable");
    });
    const response = await failing(
      new Request("http://localhost/test", { headers: { "x-request-id": "req-hygiene-1" } }),
    );
    restore();

    expect(response.status).toBe(500);
    expect(response.headers.get("x-request-id")).toBe("req-hygiene-1");
    expect(await response.json()).toMatchObject({ error: "internal", requestId: "req-hygiene-1" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).not.toContain("select");
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      level: "error",
      requestId: "req-hygiene-1",
      error: { class: "DatabaseError", code: "22P02" },
    });
  });
});
