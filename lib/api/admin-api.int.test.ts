import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { billingGroupViewers } from "@/db/schema";
import { apiRequest, createApiKeyFor, createScopedApiKey, withParams } from "@/tests/support/api";
import { createBillingGroup, createMember, createOrg as createTestOrg, testDb } from "@/tests/support/db";

// R44 from the outside: the admin API's routes called as Next.js calls them, on a real PostgreSQL
// with row-level security. Every change goes through the console's services, so the console's
// rules, codes and audit entries hold for keys too; these tests hold the API to that.

vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const groupsRoute = await import("@/app/api/v1/billing-groups/route");
const groupRoute = await import("@/app/api/v1/billing-groups/[id]/route");
const limitRoute = await import("@/app/api/v1/billing-groups/[id]/limit/route");
const assignRoute = await import("@/app/api/v1/billing-groups/[id]/members/route");
const memberRoute = await import("@/app/api/v1/members/[member]/route");
const usageRoute = await import("@/app/api/v1/usage/route");
const { memberPrincipal } = await import("@/lib/auth/principal");
const consoleGroups = await import("@/lib/billing-groups/access");
const { getActiveMemberById } = await import("@/lib/members/queries");
const { getAuditFilterOptions, listAuditEntries } = await import("@/lib/audit/queries");
const { parseAuditFilters } = await import("@/lib/audit/filters");
const { withOrg } = await import("@/db");

const createdOrgIds: string[] = [];
async function createOrg() {
  const org = await createTestOrg();
  createdOrgIds.push(org.id);
  return org;
}
afterAll(async () => {
  for (const id of createdOrgIds) await testDb().execute(sql`delete from organizations where id = ${id}`);
});

type Answer = { status: number; body: Record<string, unknown>; headers: Headers };

async function answer(response: Promise<Response>): Promise<Answer> {
  const res = await response;
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

type Send = { key: string | null; body?: unknown; headers?: Record<string, string> };
const api = {
  create: ({ key, body, headers }: Send) =>
    answer(groupsRoute.POST(apiRequest("/api/v1/billing-groups", { method: "POST", key, body, headers }))),
  get: (id: string, { key }: Send) =>
    answer(withParams(groupRoute.GET, { id })(apiRequest(`/api/v1/billing-groups/${id}`, { method: "GET", key }))),
  patch: (id: string, { key, body, headers }: Send) =>
    answer(
      withParams(groupRoute.PATCH, { id })(
        apiRequest(`/api/v1/billing-groups/${id}`, { method: "PATCH", key, body, headers }),
      ),
    ),
  remove: (id: string, { key, body, headers }: Send) =>
    answer(
      withParams(groupRoute.DELETE, { id })(
        apiRequest(`/api/v1/billing-groups/${id}`, { method: "DELETE", key, body, headers }),
      ),
    ),
  limit: (id: string, { key, body, headers }: Send) =>
    answer(
      withParams(limitRoute.PUT, { id })(
        apiRequest(`/api/v1/billing-groups/${id}/limit`, { method: "PUT", key, body, headers }),
      ),
    ),
  assign: (id: string, { key, body, headers }: Send) =>
    answer(
      withParams(assignRoute.POST, { id })(
        apiRequest(`/api/v1/billing-groups/${id}/members`, { method: "POST", key, body, headers }),
      ),
    ),
  member: (member: string, { key, body }: Send) =>
    answer(
      withParams(memberRoute.PATCH, { member })(
        apiRequest(`/api/v1/members/${encodeURIComponent(member)}`, { method: "PATCH", key, body }),
      ),
    ),
  usage: (key: string, member: string, credits: string) =>
    answer(
      usageRoute.POST(apiRequest("/api/v1/usage", { key, body: { member, credits, idempotencyKey: randomUUID() } })),
    ),
};

/** Everything an admin API call could change in an org: groups, members' groups and limits, the audit log. */
async function stateOf(orgId: string) {
  const [groups, members, audit] = await Promise.all([
    testDb().execute(sql`
      select id, name, description, period_limit, default_personal_limit, version, deleted_at
      from billing_groups where org_id = ${orgId} order by id`),
    testDb().execute(sql`select id, billing_group_id, personal_limit from members where org_id = ${orgId} order by id`),
    testDb().execute(sql`select count(*)::int as n from audit_log where org_id = ${orgId}`),
  ]);
  return JSON.stringify({ groups, members, audit }, (_key, value) =>
    typeof value === "bigint" ? value.toString() : value,
  );
}

async function auditOf(orgId: string, targetId: string) {
  return testDb().execute<{
    action: string;
    actor_id: string | null;
    actor_api_key_id: string | null;
    actor_label: string;
    before: unknown;
    after: unknown;
  }>(
    sql`select action, actor_id, actor_api_key_id, actor_label, before, after from audit_log
        where org_id = ${orgId} and target_id = ${targetId} order by created_at, id`,
  );
}

async function consolePrincipalOf(member: { id: string; orgId: string }) {
  const signedIn = await testDb().transaction((tx) =>
    getActiveMemberById(tx, { orgId: member.orgId, memberId: member.id }),
  );
  return memberPrincipal(signedIn!);
}

describe("only a live admin-scoped key of the org changes anything (R44)", () => {
  let org: Awaited<ReturnType<typeof createOrg>>;
  let keys: Record<"none" | "revoked" | "otherOrg" | "withoutScope" | "admin", string | null>;

  beforeAll(async () => {
    org = await createOrg();
    const other = await createOrg();
    const revoked = await createScopedApiKey(org.id, ["usage", "read", "admin"]);
    await testDb().execute(sql`update api_keys set revoked_at = now() where org_id = ${org.id} and id = ${revoked.id}`);
    keys = {
      none: null,
      revoked: revoked.secret,
      otherOrg: (await createScopedApiKey(other.id, ["usage", "read", "admin"])).secret,
      withoutScope: (await createScopedApiKey(org.id, ["usage", "read"])).secret,
      admin: (await createScopedApiKey(org.id, ["admin"], "HR sync")).secret,
    };
  });

  type Target = { group: { id: string; name: string }; member: { id: string; email: string } };
  const endpoints: [string, (key: string | null, target: Target) => Promise<Answer>][] = [
    ["POST /billing-groups", (key) => api.create({ key, body: { name: `Made ${randomUUID().slice(0, 8)}` } })],
    ["PATCH /billing-groups/{id}", (key, { group }) => api.patch(group.id, { key, body: { description: "Changed" } })],
    [
      "DELETE /billing-groups/{id}",
      (key, { group }) => api.remove(group.id, { key, body: { confirmName: group.name } }),
    ],
    ["PUT /billing-groups/{id}/limit", (key, { group }) => api.limit(group.id, { key, body: { limit: "75" } })],
    [
      "POST /billing-groups/{id}/members",
      (key, { group, member }) => api.assign(group.id, { key, body: { members: [member.email] } }),
    ],
    ["PATCH /members/{member}", (key, { member }) => api.member(member.email, { key, body: { personalLimit: "9" } })],
  ];

  it.each(endpoints)("%s", async (name, call) => {
    const target = { group: await createBillingGroup(org.id), member: await createMember(org.id) };
    const before = await stateOf(org.id);
    const refusals = {
      none: [401, "unauthorized"],
      revoked: [401, "unauthorized"],
      // Another org's key sees nothing of this org: its group or member is simply not there. A
      // create names no target, so it creates in the key's own org, never in this one.
      otherOrg: name === "POST /billing-groups" ? [201, undefined] : [404, undefined],
      withoutScope: [403, "insufficient_scope"],
    } as const;
    for (const [who, [status, error]] of Object.entries(refusals)) {
      const refused = await call(keys[who as keyof typeof refusals], target);
      expect(refused.status, who).toBe(status);
      if (error) expect(refused.body.error, who).toBe(error);
      expect(await stateOf(org.id), `${who} changed this org`).toBe(before);
    }
    expect((await call(keys.withoutScope, target)).body).toMatchObject({ scope: "admin" });
    const allowed = await call(keys.admin, target);
    expect([200, 201]).toContain(allowed.status);
    expect(await stateOf(org.id), "the admin key changed nothing").not.toBe(before);
  });

  it("leaves every row of the org as it was after refused calls", async () => {
    const group = await createBillingGroup(org.id, { periodLimit: 500n });
    const member = await createMember(org.id, { personalLimit: 10n });
    const before = await stateOf(org.id);
    for (const key of [keys.none, keys.revoked, keys.otherOrg, keys.withoutScope]) {
      await api.patch(group.id, { key, body: { name: "Hijacked" } });
      await api.remove(group.id, { key, body: { confirmName: group.name } });
      await api.limit(group.id, { key, body: { limit: null } });
      await api.assign(group.id, { key, body: { members: [member.email] } });
      await api.member(member.email, { key, body: { personalLimit: null, billingGroup: group.id } });
    }
    expect(await stateOf(org.id)).toBe(before);
  });
});

describe("the console's rules, codes and audit entries (R44 = R10–R13, R19, R36, R42)", () => {
  let org: Awaited<ReturnType<typeof createOrg>>;
  let admin: string;
  let adminKeyId: string;
  let usageKey: string;
  let billingAdmin: Awaited<ReturnType<typeof createMember>>;

  beforeAll(async () => {
    org = await createOrg();
    const terraform = await createScopedApiKey(org.id, ["read", "admin"], "Terraform");
    admin = terraform.secret;
    adminKeyId = terraform.id;
    usageKey = (await createApiKeyFor(org.id)).secret;
    billingAdmin = await createMember(org.id, { role: "billing_admin" });
  });

  it("creates a group as the console does, audited under the key's name", async () => {
    const created = await api.create({
      key: admin,
      body: { name: "  Research  ", description: "Lab teams", defaultPersonalLimit: "12.5" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Research",
      description: "Lab teams",
      periodLimit: null,
      defaultPersonalLimit: "12.5",
      version: 1,
    });
    expect(created.headers.get("etag")).toBe('"1"');
    const [entry] = await auditOf(org.id, created.body.id as string);
    expect(entry).toMatchObject({
      action: "billing_group.created",
      actor_id: null,
      actor_api_key_id: adminKeyId,
      actor_label: "Terraform",
      after: { name: "Research", description: "Lab teams", periodLimit: null, defaultPersonalLimit: "12.5" },
    });
  });

  it("refuses duplicate (any case) and reserved names with the console's codes and messages", async () => {
    const name = `Ops ${randomUUID().slice(0, 6)}`;
    expect((await api.create({ key: admin, body: { name } })).status).toBe(201);
    const duplicate = await api.create({ key: admin, body: { name: name.toLowerCase() } });
    expect(duplicate).toMatchObject({
      status: 409,
      body: { error: "conflict", fields: { name: [expect.any(String)] } },
    });
    // The console says exactly the same.
    const fromConsole = await consoleGroups
      .createBillingGroup(await consolePrincipalOf(billingAdmin), {
        name: name.toUpperCase(),
        description: "",
        defaultPersonalLimit: null,
      })
      .catch((error: Error) => error);
    expect((fromConsole as Error).message).toBe(duplicate.body.message);
    for (const reserved of ["Unassigned", "unassigned", " UNASSIGNED "]) {
      const refused = await api.create({ key: admin, body: { name: reserved } });
      expect(refused.status, reserved).toBe(400);
      expect(refused.body.message).toContain("“Unassigned” is reserved");
    }
    const other = await createBillingGroup(org.id);
    const renamed = await api.patch(other.id, { key: admin, body: { name } });
    expect(renamed).toMatchObject({ status: 409, body: { error: "conflict" } });
  });

  it("refuses a group over the org's cap with 402 limit_exceeded, as the console does", async () => {
    const capped = await createOrg();
    const key = (await createScopedApiKey(capped.id, ["admin"])).secret;
    await testDb().execute(sql`update organizations set billing_group_cap = 2 where id = ${capped.id}`);
    expect((await api.create({ key, body: { name: "One" } })).status).toBe(201);
    expect((await api.create({ key, body: { name: "Two" } })).status).toBe(201);
    const third = await api.create({ key, body: { name: "Three" } });
    expect(third).toMatchObject({ status: 402, body: { error: "limit_exceeded" } });
    expect(third.body.message).toMatch(/\b2\b/);
    const live = await testDb().execute(
      sql`select count(*)::int as n from billing_groups where org_id = ${capped.id} and deleted_at is null`,
    );
    expect(live[0]).toEqual({ n: 2 });
  });

  it("keeps Unassigned immutable: no rename, delete or limit", async () => {
    const before = await stateOf(org.id);
    for (const refused of [
      await api.patch("unassigned", { key: admin, body: { name: "Mine" } }),
      await api.remove("unassigned", { key: admin, body: { confirmName: "Unassigned" } }),
      await api.limit("unassigned", { key: admin, body: { limit: "10" } }),
    ])
      expect(refused).toMatchObject({ status: 409, body: { error: "conflict" } });
    expect(await stateOf(org.id)).toBe(before);
  });

  it("allows a limit below current usage, which then blocks further usage (R19)", async () => {
    const group = await createBillingGroup(org.id);
    const member = await createMember(org.id, { personalLimit: 1_000_00n, billingGroupId: group.id });
    expect((await api.usage(usageKey, member.email, "40")).status).toBe(201);
    const lowered = await api.limit(group.id, { key: admin, body: { limit: "25" } });
    expect(lowered).toMatchObject({ status: 200, body: { periodLimit: "25" } });
    const blocked = await api.usage(usageKey, member.email, "0.01");
    expect(blocked).toMatchObject({ status: 402, body: { error: "group_limit_reached" } });
    const cleared = await api.limit(group.id, { key: admin, body: { limit: null } });
    expect(cleared).toMatchObject({ status: 200, body: { periodLimit: null } });
    expect((await api.usage(usageKey, member.email, "0.01")).status).toBe(201);
    const entries = await auditOf(org.id, group.id);
    expect(entries.map((e) => [e.action, e.actor_label, e.before, e.after])).toEqual([
      ["billing_group.period_limit_set", "Terraform", { periodLimit: null }, { periodLimit: "25" }],
      ["billing_group.period_limit_set", "Terraform", { periodLimit: "25" }, { periodLimit: null }],
    ]);
  });

  it("moves members without touching usage already recorded, one audit entry per member moved (R12)", async () => {
    const from = await createBillingGroup(org.id);
    const to = await createBillingGroup(org.id);
    const ada = await createMember(org.id, { personalLimit: 100_00n, billingGroupId: from.id });
    const bob = await createMember(org.id, { personalLimit: 100_00n, billingGroupId: to.id });
    expect((await api.usage(usageKey, ada.email, "3")).status).toBe(201);
    const usageBefore = await testDb().execute(
      sql`select billing_group_id, credits from usage_events where org_id = ${org.id} and member_id = ${ada.id}`,
    );

    const moved = await api.assign(to.id, { key: admin, body: { members: [ada.email.toUpperCase(), bob.id, ada.id] } });
    expect(moved).toMatchObject({
      status: 200,
      body: { billingGroup: { id: to.id, name: to.name }, assigned: 1, unchanged: 1 },
    });
    expect(
      await testDb().execute(
        sql`select billing_group_id, credits from usage_events where org_id = ${org.id} and member_id = ${ada.id}`,
      ),
    ).toEqual(usageBefore);
    expect(usageBefore[0]).toMatchObject({ billing_group_id: from.id });
    const entries = await auditOf(org.id, ada.id);
    expect(entries.at(-1)).toMatchObject({
      action: "member.billing_group_assigned",
      actor_label: "Terraform",
      before: { billingGroupId: from.id, billingGroup: from.name },
      after: { billingGroupId: to.id, billingGroup: to.name },
    });
    expect(await auditOf(org.id, bob.id)).toEqual([]);

    const back = await api.assign("unassigned", { key: admin, body: { members: [ada.email] } });
    expect(back.body).toMatchObject({ billingGroup: { id: "unassigned", name: "Unassigned" }, assigned: 1 });
  });

  it("assigns all or nothing, listing every entry that names no active member", async () => {
    const group = await createBillingGroup(org.id);
    const active = await createMember(org.id);
    const gone = await createMember(org.id, { deactivatedAt: new Date() });
    const before = await stateOf(org.id);
    const refused = await api.assign(group.id, {
      key: admin,
      body: { members: [active.email, "ghost@example.test", gone.email, randomUUID()] },
    });
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ error: "not_found" });
    expect((refused.body.errors as { index: number; error: string }[]).map((e) => [e.index, e.error])).toEqual([
      [1, "member_not_found"],
      [2, "member_not_found"],
      [3, "member_not_found"],
    ]);
    expect(await stateOf(org.id)).toBe(before);
    const tooMany = await api.assign(group.id, {
      key: admin,
      body: { members: Array.from({ length: 1_001 }, (_, i) => `m${i}@example.test`) },
    });
    expect(tooMany).toMatchObject({ status: 400, body: { error: "invalid_body" } });
    expect(tooMany.body.message).toContain("at most 1,000");
  });

  it("changes a member's personal limit and billing group in one call, as a billing admin would", async () => {
    const group = await createBillingGroup(org.id, { defaultPersonalLimit: 50_00n });
    const member = await createMember(org.id, { personalLimit: 10_00n });
    const changed = await api.member(member.email, {
      key: admin,
      body: { personalLimit: null, billingGroup: group.id },
    });
    expect(changed).toMatchObject({
      status: 200,
      body: { id: member.id, personalLimit: null, billingGroup: { id: group.id, name: group.name } },
    });
    // One transaction, so one timestamp: compare as a set.
    const actions = (await auditOf(org.id, member.id)).map((e) => [e.action, e.actor_label]).sort();
    expect(actions).toEqual([
      ["member.billing_group_assigned", "Terraform"],
      ["member.personal_limit_set", "Terraform"],
    ]);
    // Everything in one transaction: a bad billing group leaves the limit as it was too.
    const refused = await api.member(member.id, {
      key: admin,
      body: { personalLimit: "1", billingGroup: randomUUID() },
    });
    expect(refused.status).toBe(404);
    const [row] = await testDb().execute(sql`select personal_limit from members where id = ${member.id}`);
    expect(row).toEqual({ personal_limit: null });
  });

  it("deletes with the exact name only, returning members to Unassigned", async () => {
    const group = await createBillingGroup(org.id, { name: `Doomed ${randomUUID().slice(0, 6)}` });
    const member = await createMember(org.id, { billingGroupId: group.id });
    const wrong = await api.remove(group.id, { key: admin, body: { confirmName: group.name.toLowerCase() } });
    expect(wrong).toMatchObject({
      status: 409,
      body: { error: "conflict", fields: { confirmName: [expect.any(String)] } },
    });
    const deleted = await api.remove(group.id, { key: admin, body: { confirmName: group.name } });
    expect(deleted).toMatchObject({
      status: 200,
      body: { id: group.id, name: group.name, membersReturnedToUnassigned: 1 },
    });
    const [row] = await testDb().execute(sql`select billing_group_id from members where id = ${member.id}`);
    expect(row).toEqual({ billing_group_id: null });
    expect((await api.get(group.id, { key: admin })).status).toBe(404);
    const [entry] = (await auditOf(org.id, group.id)).filter((e) => e.action === "billing_group.deleted");
    expect(entry).toMatchObject({ actor_label: "Terraform", actor_id: null });
  });

  it("lets the Audit Log's Actor filter pick the key and list exactly its entries", async () => {
    const options = await withOrg(org.id, (tx) => getAuditFilterOptions(tx, { orgId: org.id }));
    expect(options.actors).toContainEqual({ id: adminKeyId, name: "Terraform (API key)", kind: "api_key" });
    const { query } = parseAuditFilters({ actor: adminKeyId }, options);
    const page = await withOrg(org.id, (tx) => listAuditEntries(tx, { orgId: org.id, ...query, pageSize: 500 }));
    const all = await testDb().execute(
      sql`select count(*)::int as n from audit_log where org_id = ${org.id} and actor_label = 'Terraform'`,
    );
    expect(page.rows.length).toBe((all[0] as { n: number }).n);
    expect(page.rows.length).toBeGreaterThan(3);
    expect(page.rows.every((row) => row.actorApiKeyId === adminKeyId && row.actorId === null)).toBe(true);
  });

  it("ignores viewer grants: a key acts for the whole organization", async () => {
    const granted = await createBillingGroup(org.id);
    const notGranted = await createBillingGroup(org.id);
    const viewer = await createMember(org.id, { role: "member" });
    await testDb()
      .insert(billingGroupViewers)
      .values({ orgId: org.id, billingGroupId: granted.id, memberId: viewer.id });
    expect((await api.get(notGranted.id, { key: admin })).status).toBe(200);
    expect((await api.patch(notGranted.id, { key: admin, body: { description: "Any group" } })).status).toBe(200);
  });

  it("gives an admin key a billing admin's powers only: never another scope's calls", async () => {
    const adminOnly = (await createScopedApiKey(org.id, ["admin"])).secret;
    const member = await createMember(org.id, { personalLimit: 5_00n });
    expect((await api.usage(adminOnly, member.email, "1")).status).toBe(403);
    const usage = await testDb().execute(
      sql`select count(*)::int as n from usage_events where member_id = ${member.id}`,
    );
    expect(usage[0]).toEqual({ n: 0 });
  });
});

describe("concurrency (R38)", () => {
  it("refuses a stale If-Match with 412, so of two writers from one version exactly one wins", async () => {
    const org = await createOrg();
    const key = (await createScopedApiKey(org.id, ["read", "admin"])).secret;
    const group = await createBillingGroup(org.id);
    const read = await api.get(group.id, { key });
    const etag = read.headers.get("etag")!;
    expect(etag).toBe(`"${group.version}"`);
    const results = await Promise.all(
      ["First", "Second"].map((description) =>
        api.patch(group.id, { key, body: { description }, headers: { "If-Match": etag } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    expect(results.find((r) => r.status === 412)!.body).toMatchObject({ error: "precondition_failed" });
    const [row] = await testDb().execute<{ version: number }>(
      sql`select version from billing_groups where id = ${group.id}`,
    );
    expect(row!.version).toBe(group.version + 1);
  });

  it("never leaves a member in a deleted group when an API assignment races a console delete", async () => {
    const org = await createOrg();
    const key = (await createScopedApiKey(org.id, ["admin"])).secret;
    const admin = await createMember(org.id, { role: "admin" });
    const principal = await consolePrincipalOf(admin);
    for (let round = 0; round < 8; round++) {
      const group = await createBillingGroup(org.id);
      const people = await Promise.all(Array.from({ length: 20 }, () => createMember(org.id)));
      const [assigned, deleted] = await Promise.all([
        api.assign(group.id, { key, body: { members: people.map((p) => p.email) } }),
        consoleGroups.deleteBillingGroup(principal, { id: group.id, confirmName: group.name }),
      ]);
      expect([200, 404]).toContain(assigned.status);
      expect(deleted.id).toBe(group.id);
      const stranded = await testDb().execute(
        sql`select count(*)::int as n from members where org_id = ${org.id} and billing_group_id = ${group.id}`,
      );
      expect(stranded[0]).toEqual({ n: 0 });
    }
  });
});

describe("Idempotency-Key (R44)", () => {
  it("answers a retried create with the first result and creates one group", async () => {
    const org = await createOrg();
    const key = (await createScopedApiKey(org.id, ["admin"])).secret;
    const headers = { "Idempotency-Key": randomUUID() };
    const body = { name: "Retried", description: "Once" };
    const attempts = await Promise.all(Array.from({ length: 5 }, () => api.create({ key, body, headers })));
    expect(attempts.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(attempts.map((a) => a.body.id)).size).toBe(1);
    expect(attempts.filter((a) => a.headers.get("idempotent-replayed") === "true")).toHaveLength(4);
    const later = await api.create({ key, body: { description: "Once", name: "Retried" }, headers });
    expect(later.body).toEqual(attempts[0]!.body);
    const groups = await testDb().execute(sql`select count(*)::int as n from billing_groups where org_id = ${org.id}`);
    expect(groups[0]).toEqual({ n: 1 });
    expect((await auditOf(org.id, attempts[0]!.body.id as string)).length).toBe(1);

    const conflict = await api.create({ key, body: { name: "Another" }, headers });
    expect(conflict).toMatchObject({ status: 409, body: { error: "idempotency_conflict" } });
    // Keys are per API key: another key's same Idempotency-Key is another request.
    const otherKey = (await createScopedApiKey(org.id, ["admin"])).secret;
    expect((await api.create({ key: otherKey, body: { name: "Another" }, headers })).status).toBe(201);
  });

  it("answers a retried assignment with the first result, auditing the move once", async () => {
    const org = await createOrg();
    const key = (await createScopedApiKey(org.id, ["admin"])).secret;
    const group = await createBillingGroup(org.id);
    const member = await createMember(org.id);
    const headers = { "Idempotency-Key": `hr-export-2026-12-${randomUUID()}` };
    const first = await api.assign(group.id, { key, body: { members: [member.email] }, headers });
    const retry = await api.assign(group.id, { key, body: { members: [member.email] }, headers });
    expect(first.body).toMatchObject({ assigned: 1, unchanged: 0 });
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((await auditOf(org.id, member.id)).length).toBe(1);
    const elsewhere = await api.assign("unassigned", { key, body: { members: [member.email] }, headers });
    expect(elsewhere).toMatchObject({ status: 409, body: { error: "idempotency_conflict" } });
  });

  it("remembers nothing of a refused request, so its retry runs again", async () => {
    const org = await createOrg();
    const key = (await createScopedApiKey(org.id, ["admin"])).secret;
    const taken = await createBillingGroup(org.id);
    const headers = { "Idempotency-Key": randomUUID() };
    expect((await api.create({ key, body: { name: taken.name }, headers })).status).toBe(409);
    await testDb().execute(sql`update billing_groups set name = 'Renamed' where id = ${taken.id}`);
    expect((await api.create({ key, body: { name: taken.name }, headers })).status).toBe(201);
  });
});
