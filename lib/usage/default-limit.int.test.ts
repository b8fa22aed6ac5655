// R42 on a real PostgreSQL: a billing group's Default Personal Limit, enforced by
// ledgerline_record_usage (migration 0013) for members without a limit of their own, reported with
// its source by the usage API's 201 body and the entitlement API.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setClock } from "@/lib/clock";
import { apiRequest, createApiKeyFor, send } from "@/tests/support/api";
import { createBillingGroup, createMember, createOrg as createTestOrg, testDb } from "@/tests/support/db";
import { applyingPersonalLimit } from "./rules";

// A pool as large as the test database's, so 200 parallel requests really contend in PostgreSQL.
vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "20";
});
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const usageRoute = await import("@/app/api/v1/usage/route");
const entitlementRoute = await import("@/app/api/v1/members/[member]/entitlement/route");
const { assignMembersToBillingGroup } = await import("@/lib/billing-groups/assignment");
const { updateBillingGroup } = await import("@/lib/billing-groups/service");

// Orgs made here are deleted afterwards, so suites that compare whole tables never see this usage.
const createdOrgIds: string[] = [];
let orgId: string;
let key: string;
const actor = { id: null, label: "test admin" };

beforeAll(async () => {
  const org = await createTestOrg();
  createdOrgIds.push(org.id);
  orgId = org.id;
  key = (await createApiKeyFor(orgId)).secret;
});

afterAll(async () => {
  setClock(null);
  for (const id of createdOrgIds) await testDb().execute(sql`delete from organizations where id = ${id}`);
});

type Body = Record<string, unknown> & {
  error?: string;
  personal?: { used: string; limit: string | null; remaining: string | null; limitSource?: string | null };
};

async function usage(member: string, credits: string) {
  const answer = await send(
    usageRoute.POST,
    apiRequest("/api/v1/usage", { key, body: { member, credits, idempotencyKey: randomUUID() } }),
  );
  return answer as { status: number; body: Body };
}

async function entitlement(member: string) {
  const answer = await send(
    (request) => entitlementRoute.GET(request, { params: Promise.resolve({ member }) }),
    apiRequest(`/api/v1/members/${encodeURIComponent(member)}/entitlement`, { key }),
  );
  return answer as { status: number; body: Body & { canUse?: boolean; reason?: string | null } };
}

function tally(results: { status: number; body: Body }[]) {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const label = r.status === 201 ? "201" : `${r.status}:${r.body.error}`;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

async function personalUsed(memberId: string): Promise<bigint> {
  const rows = await testDb().execute<{ v: string | null }>(
    sql`select sum(credits) as v from member_period_usage where org_id = ${orgId} and member_id = ${memberId}`,
  );
  return BigInt(rows[0]?.v ?? 0);
}

function move(memberIds: string[], billingGroupId: string | null) {
  return testDb().transaction((tx) => assignMembersToBillingGroup(tx, { orgId, actor, memberIds, billingGroupId }));
}

describe("the rule, in the database and in TypeScript (R42)", () => {
  it("agrees on every combination of an own limit and a group default", async () => {
    const values = [null, 0n, 500n, 10_000n];
    for (const own of values) {
      for (const groupDefault of values) {
        const [row] = await testDb().execute<{ limit: string | null; source: string | null }>(
          sql`select ledgerline_applying_personal_limit(${own}::bigint, ${groupDefault}::bigint)::text as limit,
                     ledgerline_personal_limit_source(${own}::bigint, ${groupDefault}::bigint) as source`,
        );
        const expected = applyingPersonalLimit(own, groupDefault);
        expect(
          { limit: row!.limit === null ? null : BigInt(row!.limit), source: row!.source },
          `${own}/${groupDefault}`,
        ).toEqual(expected);
      }
    }
  });
});

describe("enforcement (R18, R20, R42)", () => {
  it("accepts exactly 50 of 200 parallel 1-Credit events against a group default of 50, and says so", async () => {
    const group = await createBillingGroup(orgId, { defaultPersonalLimit: 5_000n });
    const member = await createMember(orgId, { personalLimit: null, billingGroupId: group.id });
    const results = await Promise.all(Array.from({ length: 200 }, () => usage(member.email, "1")));
    expect(tally(results)).toEqual({ "201": 50, "402:personal_limit_reached": 150 });
    expect(await personalUsed(member.id)).toBe(5_000n);
    const accepted = results.filter((r) => r.status === 201).map((r) => r.body.personal!);
    // Every accepted event saw its own running total: 1, 2, … 50 Credits, each exactly once.
    expect(new Set(accepted.map((p) => p.used)).size).toBe(50);
    for (const personal of accepted)
      expect(personal).toMatchObject({ limit: "50", limitSource: "billing_group_default" });
  });

  it("holds every member to the default and the group to its limit at once: 200 events, 4 members", async () => {
    const group = await createBillingGroup(orgId, { defaultPersonalLimit: 1_000n, periodLimit: 3_500n });
    const people = await Promise.all(
      Array.from({ length: 4 }, () => createMember(orgId, { personalLimit: null, billingGroupId: group.id })),
    );
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => usage(people[i % 4]!.id, "1")));
    const counts = tally(results);
    expect(counts["201"]).toBe(35);
    expect((counts["402:personal_limit_reached"] ?? 0) + (counts["402:group_limit_reached"] ?? 0)).toBe(165);
    for (const person of people) expect(await personalUsed(person.id)).toBeLessThanOrEqual(1_000n);
    const [row] = await testDb().execute<{ credits: string }>(
      sql`select credits from group_period_usage where org_id = ${orgId} and billing_group_id = ${group.id}`,
    );
    expect(BigInt(row!.credits)).toBe(3_500n);
  });

  it("still blocks a member with neither an own limit nor a group default, in a group or Unassigned", async () => {
    const group = await createBillingGroup(orgId);
    const inGroup = await createMember(orgId, { personalLimit: null, billingGroupId: group.id });
    const unassigned = await createMember(orgId, { personalLimit: null });
    for (const member of [inGroup, unassigned]) {
      expect(await usage(member.id, "1")).toMatchObject({
        status: 402,
        body: { error: "personal_limit_not_configured" },
      });
      expect(await personalUsed(member.id)).toBe(0n);
      expect((await entitlement(member.email)).body).toMatchObject({
        canUse: false,
        reason: "personal_limit_not_configured",
        personal: { limit: null, remaining: null, limitSource: null },
      });
    }
  });

  it("blocks members without an own limit when the default is 0", async () => {
    const group = await createBillingGroup(orgId, { defaultPersonalLimit: 0n });
    const member = await createMember(orgId, { personalLimit: null, billingGroupId: group.id });
    expect(await usage(member.id, "1")).toMatchObject({
      status: 402,
      body: { error: "personal_limit_not_configured" },
    });
    expect((await entitlement(member.id)).body).toMatchObject({
      canUse: false,
      reason: "personal_limit_not_configured",
      personal: { limit: "0", limitSource: "billing_group_default" },
    });
  });

  it("lets an own limit beat the default, whether smaller, larger or 0", async () => {
    const group = await createBillingGroup(orgId, { defaultPersonalLimit: 5_000n });
    const smaller = await createMember(orgId, { personalLimit: 500n, billingGroupId: group.id });
    const larger = await createMember(orgId, { personalLimit: 8_000n, billingGroupId: group.id });
    const zero = await createMember(orgId, { personalLimit: 0n, billingGroupId: group.id });

    expect(await usage(smaller.id, "5")).toMatchObject({
      status: 201,
      body: { personal: { used: "5", limit: "5", remaining: "0", limitSource: "personal" } },
    });
    expect(await usage(smaller.id, "0.01")).toMatchObject({ status: 402, body: { error: "personal_limit_reached" } });

    expect(await usage(larger.id, "60")).toMatchObject({
      status: 201,
      body: { personal: { used: "60", limit: "80", remaining: "20", limitSource: "personal" } },
    });
    expect(await usage(larger.id, "20.01")).toMatchObject({ status: 402, body: { error: "personal_limit_reached" } });

    expect(await usage(zero.id, "1")).toMatchObject({ status: 402, body: { error: "personal_limit_not_configured" } });
    expect((await entitlement(zero.id)).body).toMatchObject({ personal: { limit: "0", limitSource: "personal" } });
  });
});

describe("the default that applies follows the member and the group at once (R42)", () => {
  it("switches when the member moves, and when the default changes", async () => {
    const small = await createBillingGroup(orgId, { defaultPersonalLimit: 1_000n });
    const large = await createBillingGroup(orgId, { defaultPersonalLimit: 3_000n });
    const member = await createMember(orgId, { personalLimit: null, billingGroupId: small.id });
    expect((await usage(member.id, "8")).body.personal).toEqual({
      used: "8",
      limit: "10",
      remaining: "2",
      limitSource: "billing_group_default",
    });
    expect(await usage(member.id, "5")).toMatchObject({ status: 402, body: { error: "personal_limit_reached" } });

    await move([member.id], large.id);
    expect((await entitlement(member.id)).body).toMatchObject({
      canUse: true,
      billingGroup: { id: large.id },
      personal: { used: "8", limit: "30", remaining: "22", limitSource: "billing_group_default" },
    });
    expect((await usage(member.id, "20")).body.personal).toMatchObject({ used: "28", limit: "30" });

    await move([member.id], small.id);
    expect(await usage(member.id, "0.01")).toMatchObject({ status: 402, body: { error: "personal_limit_reached" } });
    expect((await entitlement(member.id)).body).toMatchObject({
      canUse: false,
      reason: "personal_limit_reached",
      personal: { used: "28", limit: "10", remaining: "0", limitSource: "billing_group_default" },
    });

    // Raising the small group's default applies to its members on their next event.
    await testDb().transaction((tx) =>
      updateBillingGroup(
        tx,
        { orgId, actor },
        { id: small.id, version: 1, name: small.name, description: "", defaultPersonalLimit: 4_000n },
      ),
    );
    expect((await usage(member.id, "12")).body.personal).toMatchObject({
      used: "40",
      limit: "40",
      limitSource: "billing_group_default",
    });

    // To Unassigned, which has no default: blocked again.
    await move([member.id], null);
    expect(await usage(member.id, "1")).toMatchObject({
      status: 402,
      body: { error: "personal_limit_not_configured" },
    });
  });

  it("never lets an event past the default of the group the member is in, while moves race the events", async () => {
    const tight = await createBillingGroup(orgId, { defaultPersonalLimit: 2_000n });
    const roomy = await createBillingGroup(orgId, { defaultPersonalLimit: 4_000n });
    const member = await createMember(orgId, { personalLimit: null, billingGroupId: roomy.id });
    const events = Array.from({ length: 200 }, () => usage(member.id, "0.5"));
    const moves = (async () => {
      for (let i = 0; i < 10; i++) await move([member.id], i % 2 === 0 ? tight.id : roomy.id);
    })();
    const [results] = await Promise.all([Promise.all(events), moves]);
    const accepted = results.filter((r) => r.status === 201);
    expect(accepted.length).toBeGreaterThan(0);
    for (const { body } of accepted) {
      const limit = body.billingGroup && (body.billingGroup as { id: string }).id === tight.id ? "20" : "40";
      // Each event was judged against the default of the group it was attributed to.
      expect(body.personal).toMatchObject({ limit, limitSource: "billing_group_default" });
      expect(Number(body.personal!.used)).toBeLessThanOrEqual(Number(limit));
    }
    expect(await personalUsed(member.id)).toBeLessThanOrEqual(4_000n);
  });
});
