import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog } from "@/db/schema";
import { pgConstraint } from "@/lib/db-errors";
import { apiRequest, createApiKeyFor, send } from "@/tests/support/api";
import { createBillingGroup, createMember, createOrg as createTestOrg, testDb } from "@/tests/support/db";

// Orgs made here are deleted afterwards (cascading to their rows), so other suites that compare
// whole tables never see this suite's usage.
const createdOrgIds: string[] = [];
async function createOrg() {
  const created = await createTestOrg();
  createdOrgIds.push(created.id);
  return created;
}

vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const usageRoute = await import("@/app/api/v1/usage/route");
const batchRoute = await import("@/app/api/v1/usage/batch/route");
const entitlementRoute = await import("@/app/api/v1/members/[member]/entitlement/route");
const billingGroupsRoute = await import("@/app/api/v1/billing-groups/route");
const membersRoute = await import("@/app/api/v1/members/route");
const openApiRoute = await import("@/app/api/v1/openapi.json/route");
const { createApiKey, revokeApiKey } = await import("@/lib/api-keys/service");
const { listApiKeys } = await import("@/lib/api-keys/queries");
const { withOrg } = await import("@/db");

let org: Awaited<ReturnType<typeof createOrg>>;
let key: string;
let member: Awaited<ReturnType<typeof createMember>>;
// Known at collection time, so the it.each table below can name the member.
const MEMBER_EMAIL = `bad-input-${randomUUID().slice(0, 8)}@example.test`;

afterAll(async () => {
  for (const id of createdOrgIds) await testDb().execute(sql`delete from organizations where id = ${id}`);
});

beforeAll(async () => {
  org = await createOrg();
  key = (await createApiKeyFor(org.id)).secret;
  member = await createMember(org.id, { personalLimit: 10_000n, email: MEMBER_EMAIL });
});

const eventCount = async (orgId = org.id) =>
  Number(
    (await testDb().execute<{ n: bigint }>(sql`select count(*) as n from usage_events where org_id = ${orgId}`))[0]!.n,
  );
const rollupTotal = async (orgId = org.id) =>
  BigInt(
    (
      await testDb().execute<{ n: bigint | null }>(
        sql`select coalesce(sum(credits), 0) as n from member_period_usage where org_id = ${orgId}`,
      )
    )[0]!.n ?? 0n,
  );

const post = (body: unknown, apiKey: string | null = key) =>
  send(usageRoute.POST, apiRequest("/api/v1/usage", { key: apiKey, body }));

describe("bad input gets its documented status and records nothing (R30)", () => {
  const valid = () => ({ member: MEMBER_EMAIL, credits: "1", idempotencyKey: randomUUID() });

  it.each([
    ["malformed JSON", { rawBody: "{not json" }, 400, "invalid_json"],
    ["a JSON array", { body: [] }, 400, "invalid_body"],
    ["zero credits", { body: { ...valid(), credits: "0" } }, 400, "invalid_body"],
    ["negative credits", { body: { ...valid(), credits: "-1" } }, 400, "invalid_body"],
    ["too-precise credits", { body: { ...valid(), credits: "0.001" } }, 400, "invalid_body"],
    ["huge credits", { body: { ...valid(), credits: "99999999999999" } }, 400, "invalid_body"],
    ["credits in exponent form", { body: { ...valid(), credits: "1e3" } }, 400, "invalid_body"],
    ["no idempotency key", { body: { member: "x@y.z", credits: "1" } }, 400, "invalid_body"],
    ["a 201-character idempotency key", { body: { ...valid(), idempotencyKey: "k".repeat(201) } }, 400, "invalid_body"],
    ["an unknown member", { body: { ...valid(), member: "nobody@example.test" } }, 404, "member_not_found"],
    ["an unknown member id", { body: { ...valid(), member: randomUUID() } }, 404, "member_not_found"],
    [
      "a body over 16 KB",
      { rawBody: JSON.stringify({ ...valid(), pad: "x".repeat(17_000) }) },
      413,
      "payload_too_large",
    ],
  ])("%s", async (_label, init, status, error) => {
    const before = await eventCount();
    const response = await send(
      usageRoute.POST,
      apiRequest("/api/v1/usage", { key, ...(init as { body?: unknown; rawBody?: string }) }),
    );
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error, message: expect.any(String), requestId: expect.any(String) });
    expect(await eventCount()).toBe(before);
  });

  it("refuses a deactivated member with 404", async () => {
    const gone = await createMember(org.id, { personalLimit: 10_000n, deactivatedAt: new Date() });
    const response = await post({ member: gone.email, credits: "1", idempotencyKey: randomUUID() });
    expect(response.status).toBe(404);
    expect(await eventCount()).toBe(0);
  });

  it("refuses a member without a personal limit with 402 personal_limit_not_configured", async () => {
    for (const personalLimit of [null, 0n]) {
      const person = await createMember(org.id, { personalLimit });
      const response = await post({ member: person.id, credits: "0.01", idempotencyKey: randomUUID() });
      expect(response).toEqual({
        status: 402,
        body: { error: "personal_limit_not_configured", message: expect.any(String), requestId: expect.any(String) },
      });
    }
    expect(await eventCount()).toBe(0);
  });

  it("answers 401 for a missing, malformed, unknown or revoked key", async () => {
    const body = { member: member.email, credits: "1", idempotencyKey: randomUUID() };
    const revoked = await createApiKeyFor(org.id);
    await testDb().execute(sql`update api_keys set revoked_at = now() where org_id = ${org.id} and id = ${revoked.id}`);
    for (const apiKey of [null, "not-a-key", `ll_abcdefgh_${"A".repeat(43)}`, revoked.secret]) {
      const response = await post(body, apiKey);
      expect(response.status).toBe(401);
      expect(response.body.error).toBe("unauthorized");
    }
    expect(await eventCount()).toBe(0);
  });

  it("refuses a batch over 1,000 events and an oversized batch body", async () => {
    const events = Array.from({ length: 1_001 }, () => ({
      member: member.email,
      credits: "0.01",
      idempotencyKey: randomUUID(),
    }));
    const tooMany = await send(batchRoute.POST, apiRequest("/api/v1/usage/batch", { key, body: { events } }));
    expect(tooMany).toEqual({
      status: 400,
      body: { error: "batch_too_large", message: expect.any(String), requestId: expect.any(String) },
    });
    const huge = await send(
      batchRoute.POST,
      apiRequest("/api/v1/usage/batch", { key, rawBody: JSON.stringify({ events: [], pad: "x".repeat(1_100_000) }) }),
    );
    expect(huge.status).toBe(413);
    const empty = await send(batchRoute.POST, apiRequest("/api/v1/usage/batch", { key, body: { events: [] } }));
    expect(empty.status).toBe(400);
    expect(await eventCount()).toBe(0);
    expect(await rollupTotal()).toBe(0n);
  });
});

describe("POST /api/v1/usage/batch (R31)", () => {
  it("answers per event, in order, each judged as if sent alone", async () => {
    const batchOrg = await createOrg();
    const batchKey = (await createApiKeyFor(batchOrg.id)).secret;
    const person = await createMember(batchOrg.id, { personalLimit: 500n });
    const repeated = randomUUID();
    const events = [
      { member: person.email, credits: "2", idempotencyKey: repeated },
      { member: person.email, credits: "nope", idempotencyKey: randomUUID() },
      { member: person.email, credits: "2", idempotencyKey: repeated },
      { member: person.email, credits: "4", idempotencyKey: randomUUID() },
      { member: "ghost@example.test", credits: "1", idempotencyKey: randomUUID() },
      { member: person.email, credits: "3", idempotencyKey: randomUUID() },
      { member: person.email, credits: "5", idempotencyKey: repeated },
    ];
    const response = await send(
      batchRoute.POST,
      apiRequest("/api/v1/usage/batch", { key: batchKey, body: { events } }),
    );
    expect(response.status).toBe(200);
    const results = response.body.results as { index: number; status: number; body: Record<string, unknown> }[];
    expect(results.map((r) => [r.index, r.status, r.body.error ?? null])).toEqual([
      [0, 201, null],
      [1, 400, "invalid_body"],
      [2, 200, null],
      [3, 402, "personal_limit_reached"],
      [4, 404, "member_not_found"],
      [5, 201, null],
      [6, 409, "idempotency_conflict"],
    ]);
    expect(results[5]!.body.personal).toEqual({ used: "5", limit: "5", remaining: "0", limitSource: "personal" });
    expect(response.body.summary).toEqual({ accepted: 2, replayed: 1, rejected: 4 });
    expect(await eventCount(batchOrg.id)).toBe(2);
  });

  it("takes a full batch of 1,000 events", async () => {
    const fullOrg = await createOrg();
    const fullKey = (await createApiKeyFor(fullOrg.id)).secret;
    const people = await Promise.all(
      Array.from({ length: 4 }, () => createMember(fullOrg.id, { personalLimit: 100_000n })),
    );
    const events = Array.from({ length: 1_000 }, (_, i) => ({
      member: people[i % 4]!.email,
      credits: "0.5",
      idempotencyKey: `full-${i}`,
    }));
    const response = await send(batchRoute.POST, apiRequest("/api/v1/usage/batch", { key: fullKey, body: { events } }));
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ accepted: 1_000, replayed: 0, rejected: 0 });
    expect(await eventCount(fullOrg.id)).toBe(1_000);
    expect(await rollupTotal(fullOrg.id)).toBe(50_000n);
  });
});

describe("POST /api/v1/usage/batch in one round trip (issue 19)", () => {
  it("concurrent batches over the same members, in opposite orders: every event once, the group limit exact", async () => {
    const raceOrg = await createOrg();
    const raceKey = (await createApiKeyFor(raceOrg.id)).secret;
    // A group limit of 150.00 Credits shared by 4 members: 8 batches of 40 one-Credit events want 320.
    const group = await createBillingGroup(raceOrg.id, { periodLimit: 15_000n });
    const people = await Promise.all(
      Array.from({ length: 4 }, () => createMember(raceOrg.id, { personalLimit: 100_000n, billingGroupId: group.id })),
    );
    const batches = Array.from({ length: 8 }, (_, b) => {
      const order = b % 2 === 0 ? people : [...people].reverse();
      return Array.from({ length: 40 }, (_, i) => ({
        member: order[i % 4]!.email,
        credits: "1",
        idempotencyKey: `race-${b}-${i}`,
      }));
    });
    const responses = await Promise.all(
      batches.map((events) =>
        send(batchRoute.POST, apiRequest("/api/v1/usage/batch", { key: raceKey, body: { events } })),
      ),
    );
    const statuses = responses.flatMap((r) => (r.body.results as { status: number }[]).map((x) => x.status));
    // Lock conflicts between batches are retried whole, never answered as a failed event.
    expect(statuses.filter((s) => s !== 201 && s !== 402)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(150);
    expect(await eventCount(raceOrg.id)).toBe(150);
    expect(await rollupTotal(raceOrg.id)).toBe(15_000n);
    // The same batch again replays each accepted event and records nothing new.
    const again = await send(
      batchRoute.POST,
      apiRequest("/api/v1/usage/batch", { key: raceKey, body: { events: batches[0] } }),
    );
    expect((again.body.results as { status: number }[]).every((r) => r.status === 200 || r.status === 402)).toBe(true);
    expect(await eventCount(raceOrg.id)).toBe(150);
  });
});

describe("read API (R32, R32a)", () => {
  it("explains entitlement: remaining Credits and which limit binds", async () => {
    const readOrg = await createOrg();
    const readKey = (await createApiKeyFor(readOrg.id)).secret;
    const group = await createBillingGroup(readOrg.id, { periodLimit: 300n });
    const person = await createMember(readOrg.id, { personalLimit: 1_000n, billingGroupId: group.id });
    const entitlement = (who: string) =>
      send(
        (r) => entitlementRoute.GET(r, { params: Promise.resolve({ member: who }) }),
        apiRequest(`/api/v1/members/${who}/entitlement`, { key: readKey }),
      );
    let answer = await entitlement(person.email);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      canUse: true,
      reason: null,
      billingGroup: { id: group.id, name: group.name },
      personal: { used: "0", limit: "10", remaining: "10", limitSource: "personal" },
      group: { used: "0", limit: "3", remaining: "3" },
    });
    await send(
      usageRoute.POST,
      apiRequest("/api/v1/usage", { key: readKey, body: { member: person.id, credits: "3", idempotencyKey: "a" } }),
    );
    answer = await entitlement(person.id);
    expect(answer.body).toMatchObject({
      canUse: false,
      reason: "group_limit_reached",
      personal: { remaining: "7" },
      group: { remaining: "0" },
    });
    expect((await entitlement("nobody@example.test")).status).toBe(404);
    const other = await createMember(org.id, { personalLimit: 100n });
    expect((await entitlement(other.email)).status).toBe(404); // another org's member is invisible

    const groups = await send(billingGroupsRoute.GET, apiRequest("/api/v1/billing-groups", { key: readKey }));
    expect(groups.status).toBe(200);
    const list = groups.body.billingGroups as Record<string, unknown>[];
    expect(list[0]).toEqual({
      id: "unassigned",
      name: "Unassigned",
      description: "",
      members: 0,
      periodUsage: "0",
      periodLimit: null,
      deleted: false,
    });
    expect(list[1]).toEqual({
      id: group.id,
      name: group.name,
      description: "",
      members: 1,
      periodUsage: "3",
      periodLimit: "3",
      deleted: false,
    });
    expect(
      (await send(billingGroupsRoute.GET, apiRequest("/api/v1/billing-groups?period=2026-13", { key: readKey })))
        .status,
    ).toBe(400);
    const past = await send(
      billingGroupsRoute.GET,
      apiRequest("/api/v1/billing-groups?period=2001-01", { key: readKey }),
    );
    expect((past.body.billingGroups as { periodUsage: string }[]).map((g) => g.periodUsage)).toEqual(["0", "0"]);
  });

  it("pages members and filters by email and billing group", async () => {
    const listOrg = await createOrg();
    const listKey = (await createApiKeyFor(listOrg.id)).secret;
    const group = await createBillingGroup(listOrg.id);
    for (let i = 0; i < 5; i++)
      await createMember(listOrg.id, { email: `m${i}@list.test`, billingGroupId: i < 2 ? group.id : null });
    const get = (query: string) => send(membersRoute.GET, apiRequest(`/api/v1/members${query}`, { key: listKey }));
    const first = await get("?limit=3");
    expect((first.body.members as { email: string }[]).map((m) => m.email)).toEqual([
      "m0@list.test",
      "m1@list.test",
      "m2@list.test",
    ]);
    const second = await get(`?limit=3&cursor=${first.body.nextCursor as string}`);
    expect((second.body.members as { email: string }[]).map((m) => m.email)).toEqual(["m3@list.test", "m4@list.test"]);
    expect(second.body.nextCursor).toBeNull();
    expect(((await get(`?billingGroup=${group.id}`)).body.members as unknown[]).length).toBe(2);
    expect(((await get("?billingGroup=unassigned")).body.members as unknown[]).length).toBe(3);
    const byEmail = await get("?email=M3@LIST.TEST");
    expect(byEmail.body.members).toEqual([
      expect.objectContaining({
        email: "m3@list.test",
        billingGroup: { id: "unassigned", name: "Unassigned" },
        personalLimit: null,
        periodUsage: "0",
      }),
    ]);
    expect((await get("?billingGroup=nope")).status).toBe(400);
    expect((await get("?limit=0")).status).toBe(400);
  });

  it("serves an OpenAPI 3.1 document", async () => {
    const response = await send(async () => openApiRoute.GET(), apiRequest("/api/v1/openapi.json"));
    expect(response.body.openapi).toBe("3.1.0");
    expect(Object.keys(response.body.paths as object)).toContain("/api/v1/usage");
  });
});

describe("API keys (R29)", () => {
  it("creates a key shown once, stores its hash, audits, and revocation stops it on the next request", async () => {
    const keyOrg = await createOrg();
    const admin = await createMember(keyOrg.id, { role: "admin" });
    const person = await createMember(keyOrg.id, { personalLimit: 1_000n });
    const actor = { id: admin.id, label: admin.email };
    const created = await withOrg(keyOrg.id, (tx) =>
      createApiKey(tx, { orgId: keyOrg.id, actor, name: "Billing service", scopes: ["usage", "read"] }),
    );
    expect(created.secret).toMatch(/^ll_[a-z0-9]{8}_/);
    const stored = await testDb().execute<{ secret_hash: string }>(
      sql`select secret_hash from api_keys where id = ${created.id}`,
    );
    expect(stored[0]!.secret_hash).not.toContain(created.secret);
    expect(stored[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);

    const ok = await post({ member: person.email, credits: "1", idempotencyKey: randomUUID() }, created.secret);
    expect(ok.status).toBe(201);
    const listed = await withOrg(keyOrg.id, (tx) => listApiKeys(tx, { orgId: keyOrg.id }));
    expect(listed).toEqual([
      expect.objectContaining({
        id: created.id,
        name: "Billing service",
        prefix: created.prefix,
        createdBy: admin.name,
        revokedAt: null,
      }),
    ]);
    expect(listed[0]!.lastUsedAt).toBeInstanceOf(Date);

    await withOrg(keyOrg.id, (tx) => revokeApiKey(tx, { orgId: keyOrg.id, actor, id: created.id }));
    const refused = await post({ member: person.email, credits: "1", idempotencyKey: randomUUID() }, created.secret);
    expect(refused.status).toBe(401);
    await expect(
      withOrg(keyOrg.id, (tx) => revokeApiKey(tx, { orgId: keyOrg.id, actor, id: created.id })),
    ).rejects.toThrow(/no longer exists/);

    const audit = await testDb()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(sql`org_id = ${keyOrg.id}`)
      .orderBy(auditLog.createdAt);
    expect(audit.map((a) => a.action)).toEqual(["api_key.created", "api_key.revoked"]);
  });

  it("stores exactly the chosen scopes and audits them; the database refuses none or an unknown one (R44)", async () => {
    const keyOrg = await createOrg();
    const admin = await createMember(keyOrg.id, { role: "admin" });
    const actor = { id: admin.id, label: admin.email };
    const created = await withOrg(keyOrg.id, (tx) =>
      createApiKey(tx, { orgId: keyOrg.id, actor, name: "Terraform", scopes: ["admin", "read"] }),
    );
    expect(created.scopes).toEqual(["read", "admin"]);
    const [row] = await testDb().execute<{ scopes: string[] }>(
      sql`select scopes from api_keys where id = ${created.id}`,
    );
    expect(row!.scopes).toEqual(["read", "admin"]);
    const [entry] = await testDb()
      .select({ after: auditLog.after })
      .from(auditLog)
      .where(sql`org_id = ${keyOrg.id} and action = 'api_key.created'`);
    expect(entry!.after).toMatchObject({ name: "Terraform", scopes: ["read", "admin"] });
    const listed = await withOrg(keyOrg.id, (tx) => listApiKeys(tx, { orgId: keyOrg.id }));
    expect(listed.find((k) => k.id === created.id)?.scopes).toEqual(["read", "admin"]);
    for (const bad of [sql`'{}'::text[]`, sql`'{usage,root}'::text[]`]) {
      const refused = await testDb()
        .execute(sql`update api_keys set scopes = ${bad} where id = ${created.id}`)
        .catch((error: unknown) => error);
      expect(pgConstraint(refused)).toBe("api_keys_scopes_known");
    }
  });
});
