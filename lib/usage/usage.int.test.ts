import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { members } from "@/db/schema";
import { setClock } from "@/lib/clock";
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

// A pool as large as the test database's, so 200 parallel requests really contend in PostgreSQL.
vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "20";
});
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const { POST } = await import("@/app/api/v1/usage/route");

let org: Awaited<ReturnType<typeof createOrg>>;
let key: string;

afterAll(async () => {
  for (const id of createdOrgIds) await testDb().execute(sql`delete from organizations where id = ${id}`);
});

beforeAll(async () => {
  org = await createOrg();
  key = (await createApiKeyFor(org.id)).secret;
});

afterEach(() => setClock(null));

function usage(member: string, credits: string | number, idempotencyKey: string = randomUUID(), apiKey = key) {
  return send(POST, apiRequest("/api/v1/usage", { key: apiKey, body: { member, credits, idempotencyKey } }));
}

async function scalar(query: ReturnType<typeof sql>): Promise<bigint> {
  const rows = await testDb().execute<{ v: bigint | null }>(query);
  return BigInt(rows[0]?.v ?? 0n);
}

const personalUsed = (memberId: string, period: string) =>
  scalar(
    sql`select credits as v from member_period_usage where org_id = ${org.id} and member_id = ${memberId} and period = ${period}`,
  );
const groupUsed = (groupId: string | null, period: string) =>
  scalar(
    sql`select credits as v from group_period_usage where org_id = ${org.id} and period = ${period} and billing_group_id is not distinct from ${groupId}::uuid`,
  );
const eventsOf = (memberId: string) =>
  scalar(sql`select count(*) as v from usage_events where org_id = ${org.id} and member_id = ${memberId}`);

function tally(results: { status: number; body: { error?: string } }[]) {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const label = r.status === 201 ? "201" : `${r.status}:${r.body.error}`;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

describe("POST /api/v1/usage under concurrency (R20)", () => {
  it("accepts exactly 50 of 200 parallel 1-Credit events against a personal limit of 50", async () => {
    const member = await createMember(org.id, { personalLimit: 5_000n });
    const results = await Promise.all(Array.from({ length: 200 }, () => usage(member.email, "1")));
    expect(tally(results)).toEqual({ "201": 50, "402:personal_limit_reached": 150 });
    const period = (results.find((r) => r.status === 201)!.body.period as string) ?? "";
    expect(await personalUsed(member.id, period)).toBe(5_000n);
    expect(await groupUsed(null, period)).toBeGreaterThanOrEqual(5_000n);
    expect(await eventsOf(member.id)).toBe(50n);
    expect(
      await scalar(
        sql`select credits as v from member_group_period_usage where org_id = ${org.id} and member_id = ${member.id} and period = ${period}`,
      ),
    ).toBe(5_000n);
  });

  it("shares a group limit of 50 across 10 members: exactly 50 of 200 accepted", async () => {
    const group = await createBillingGroup(org.id, { periodLimit: 5_000n });
    const people = await Promise.all(
      Array.from({ length: 10 }, () => createMember(org.id, { personalLimit: 10_000n, billingGroupId: group.id })),
    );
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => usage(people[i % 10]!.id, "1")));
    expect(tally(results)).toEqual({ "201": 50, "402:group_limit_reached": 150 });
    const period = results.find((r) => r.status === 201)!.body.period as string;
    expect(await groupUsed(group.id, period)).toBe(5_000n);
    const perMember = await Promise.all(people.map((p) => personalUsed(p.id, period)));
    expect(perMember.reduce((a, b) => a + b, 0n)).toBe(5_000n);
  });

  it("mixed limits: no member passes 8 and the group stops at exactly 60", async () => {
    const group = await createBillingGroup(org.id, { periodLimit: 6_000n });
    const people = await Promise.all(
      Array.from({ length: 10 }, () => createMember(org.id, { personalLimit: 800n, billingGroupId: group.id })),
    );
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => usage(people[i % 10]!.email.toUpperCase(), "1")),
    );
    const counts = tally(results);
    expect(counts["201"]).toBe(60);
    expect((counts["402:group_limit_reached"] ?? 0) + (counts["402:personal_limit_reached"] ?? 0)).toBe(240);
    const period = results.find((r) => r.status === 201)!.body.period as string;
    expect(await groupUsed(group.id, period)).toBe(6_000n);
    for (const person of people) expect(await personalUsed(person.id, period)).toBeLessThanOrEqual(800n);
  });
});

describe("idempotency (R30)", () => {
  it("records one event when the same key is replayed 20 times in parallel", async () => {
    const member = await createMember(org.id, { personalLimit: 100_000n });
    const idem = `replay-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => usage(member.email, "2.5", idem)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.eventId)).size).toBe(1);
    expect(results[0]!.body.credits).toBe("2.5");
    expect(await eventsOf(member.id)).toBe(1n);
    expect(await personalUsed(member.id, results[0]!.body.period as string)).toBe(250n);
  });

  it("answers 409 for the same key with a different body, and records nothing", async () => {
    const member = await createMember(org.id, { personalLimit: 100_000n });
    const idem = `conflict-${randomUUID()}`;
    expect((await usage(member.email, "1.5", idem)).status).toBe(201);
    expect((await usage(member.email, "1.50", idem)).status).toBe(200);
    const conflict = await usage(member.email, "2", idem);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toBe("idempotency_conflict");
    expect(typeof conflict.body.message).toBe("string");
    expect(await eventsOf(member.id)).toBe(1n);
  });

  it("judges a rejected key afresh after the limit is raised", async () => {
    const member = await createMember(org.id, { personalLimit: 100n });
    const idem = `retry-${randomUUID()}`;
    const first = await usage(member.id, "3", idem);
    expect(first.status).toBe(402);
    expect(first.body).toEqual({
      error: "personal_limit_reached",
      message: expect.any(String),
      requestId: expect.any(String),
    });
    await testDb().execute(sql`update members set personal_limit = 500 where org_id = ${org.id} and id = ${member.id}`);
    const retry = await usage(member.id, "3", idem);
    expect(retry.status).toBe(201);
    expect(retry.body.personal).toEqual({ used: "3", limit: "5", remaining: "2", limitSource: "personal" });
  });
});

describe("periods and attribution (R21, R22)", () => {
  it("starts the new month from 0 with the limit unchanged", async () => {
    const member = await createMember(org.id, { personalLimit: 1_000n });
    setClock(new Date("2031-01-31T23:59:59.000Z"));
    const january = await usage(member.email, "10");
    expect(january.status).toBe(201);
    expect(january.body.period).toBe("2031-01");
    expect((await usage(member.email, "0.01")).body.error).toBe("personal_limit_reached");
    setClock(new Date("2031-02-01T00:00:00.000Z"));
    const february = await usage(member.email, "1");
    expect(february.status).toBe(201);
    expect(february.body.period).toBe("2031-02");
    expect(february.body.personal).toEqual({ used: "1", limit: "10", remaining: "9", limitSource: "personal" });
    expect(await personalUsed(member.id, "2031-01")).toBe(1_000n);
    expect(await personalUsed(member.id, "2031-02")).toBe(100n);
  });

  it("splits a member's period usage between the groups they were in when each event was recorded", async () => {
    const first = await createBillingGroup(org.id, { periodLimit: 100_000n });
    const second = await createBillingGroup(org.id);
    const member = await createMember(org.id, { personalLimit: 100_000n, billingGroupId: first.id });
    setClock(new Date("2031-03-10T12:00:00.000Z"));
    const before = await usage(member.email, "3");
    expect(before.body.billingGroup).toEqual({ id: first.id, name: first.name });
    await testDb()
      .update(members)
      .set({ billingGroupId: second.id })
      .where(sql`org_id = ${org.id} and id = ${member.id}`);
    const after = await usage(member.email, "2");
    expect(after.body.billingGroup).toEqual({ id: second.id, name: second.name });
    expect(after.body.group).toEqual({ used: "2", limit: null, remaining: null });
    expect(after.body.personal).toEqual({ used: "5", limit: "1000", remaining: "995", limitSource: "personal" });
    const rows = await testDb().execute<{ billing_group_id: string; credits: bigint }>(
      sql`select billing_group_id, credits from member_group_period_usage where org_id = ${org.id} and member_id = ${member.id} and period = '2031-03' order by credits desc`,
    );
    expect(rows.map((r) => [r.billing_group_id, BigInt(r.credits)])).toEqual([
      [first.id, 300n],
      [second.id, 200n],
    ]);
    expect(await groupUsed(first.id, "2031-03")).toBe(300n);
    expect(await groupUsed(second.id, "2031-03")).toBe(200n);
    expect(await personalUsed(member.id, "2031-03")).toBe(500n);
  });
});

describe("reassignment racing ingestion (R21, R38)", () => {
  it("attributes every event to exactly one group and keeps all rollups consistent", async () => {
    const { assignMembersToBillingGroup } = await import("@/lib/billing-groups/assignment");
    const { withOrg } = await import("@/db");
    const raceOrg = await createOrg();
    const raceKey = (await createApiKeyFor(raceOrg.id)).secret;
    const admin = await createMember(raceOrg.id, { role: "admin" });
    const a = await createBillingGroup(raceOrg.id, { periodLimit: 1_000_000n });
    const b = await createBillingGroup(raceOrg.id, { periodLimit: 1_000_000n });
    const people = await Promise.all(
      Array.from({ length: 4 }, () => createMember(raceOrg.id, { personalLimit: 1_000_000n, billingGroupId: a.id })),
    );
    const ingest = Array.from({ length: 80 }, (_, i) =>
      send(
        POST,
        apiRequest("/api/v1/usage", {
          key: raceKey,
          body: { member: people[i % 4]!.id, credits: "1", idempotencyKey: randomUUID() },
        }),
      ),
    );
    const moves = Array.from({ length: 6 }, (_, i) =>
      withOrg(raceOrg.id, (tx) =>
        assignMembersToBillingGroup(tx, {
          orgId: raceOrg.id,
          actor: { id: admin.id, label: admin.email },
          memberIds: people.map((p) => p.id),
          billingGroupId: [b.id, null, a.id][i % 3]!,
        }),
      ),
    );
    const results = await Promise.all(ingest);
    await Promise.all(moves);
    expect(results.every((r) => r.status === 201)).toBe(true);
    const period = results[0]!.body.period as string;
    const totals = await testDb().execute<{
      billing_group_id: string | null;
      events: bigint;
      rollup: bigint | null;
    }>(sql`
      select e.billing_group_id, sum(e.credits) as events,
        (select credits from group_period_usage g where g.org_id = ${raceOrg.id} and g.period = ${period}
          and g.billing_group_id is not distinct from e.billing_group_id) as rollup
      from usage_events e where e.org_id = ${raceOrg.id} group by e.billing_group_id`);
    let sum = 0n;
    for (const row of totals) {
      expect(BigInt(row.rollup ?? -1n)).toBe(BigInt(row.events));
      sum += BigInt(row.events);
    }
    expect(sum).toBe(8_000n);
    // Each event's attribution matches what its response said.
    const byEvent = await testDb().execute<{ id: string; billing_group_id: string | null }>(
      sql`select id, billing_group_id from usage_events where org_id = ${raceOrg.id}`,
    );
    const attribution = new Map(byEvent.map((e) => [e.id, e.billing_group_id ?? "unassigned"]));
    for (const r of results)
      expect(attribution.get(r.body.eventId as string)).toBe((r.body.billingGroup as { id: string }).id);
  });
});

describe("rollups always equal the sum of events (property)", () => {
  // A small deterministic PRNG so a failure can be replayed from its seed.
  function rng(seed: number) {
    let state = seed >>> 0;
    return () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  it.each([11, 29, 47])("random sequences (seed %i)", async (seed) => {
    const random = rng(seed);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
    const propOrg = await createOrg();
    const propKey = (await createApiKeyFor(propOrg.id)).secret;
    const groups = [
      await createBillingGroup(propOrg.id, { periodLimit: BigInt(2_000 + Math.floor(random() * 3_000)) }),
      await createBillingGroup(propOrg.id),
    ];
    const people = await Promise.all(
      Array.from({ length: 6 }, () =>
        createMember(propOrg.id, {
          personalLimit: random() < 0.15 ? null : BigInt(500 + Math.floor(random() * 2_000)),
          billingGroupId: pick([groups[0]!.id, groups[1]!.id, null]),
        }),
      ),
    );
    const periods = ["2031-05-15T00:00:00Z", "2031-06-15T00:00:00Z"];
    const limits = new Map(people.map((p) => [p.id, p.personalLimit]));
    for (let step = 0; step < 8; step++) {
      setClock(new Date(pick(periods)));
      if (random() < 0.3) {
        const person = pick(people);
        await testDb()
          .update(members)
          .set({ billingGroupId: pick([groups[0]!.id, groups[1]!.id, null]) })
          .where(sql`org_id = ${propOrg.id} and id = ${person.id}`);
      }
      // A burst of parallel events, some reusing a key.
      const keys = Array.from({ length: 4 }, () => randomUUID());
      const burst = Array.from({ length: 15 }, () => {
        const credits = `${Math.floor(random() * 4)}.${String(1 + Math.floor(random() * 99)).padStart(2, "0")}`;
        return send(
          POST,
          apiRequest("/api/v1/usage", {
            key: propKey,
            body: { member: pick(people).id, credits, idempotencyKey: random() < 0.2 ? pick(keys) : randomUUID() },
          }),
        );
      });
      const results = await Promise.all(burst);
      for (const r of results) expect([200, 201, 400, 402, 409]).toContain(r.status);
    }
    expect(await scalar(sql`select count(*) as v from usage_events where org_id = ${propOrg.id}`)).toBeGreaterThan(10n);
    const check = (q: ReturnType<typeof sql>) =>
      testDb()
        .execute<{ n: bigint }>(q)
        .then((rows) => Number(rows[0]!.n));
    // Every rollup row equals the sum of its events, and no event is missing from a rollup.
    expect(
      await check(sql`select count(*) as n from (
        select period, member_id, billing_group_id, sum(credits) as credits, count(*) as events from usage_events where org_id = ${propOrg.id} group by 1, 2, 3
      ) e full join (select * from member_group_period_usage where org_id = ${propOrg.id}) r
        on r.period = e.period and r.member_id = e.member_id and r.billing_group_id is not distinct from e.billing_group_id
      where r.credits is distinct from e.credits or r.event_count is distinct from e.events::int`),
    ).toBe(0);
    expect(
      await check(sql`select count(*) as n from (
        select period, member_id, sum(credits) as credits from usage_events where org_id = ${propOrg.id} group by 1, 2
      ) e full join (select * from member_period_usage where org_id = ${propOrg.id} and credits > 0) r on r.period = e.period and r.member_id = e.member_id
      where r.credits is distinct from e.credits`),
    ).toBe(0);
    expect(
      await check(sql`select count(*) as n from (
        select period, billing_group_id, sum(credits) as credits from usage_events where org_id = ${propOrg.id} group by 1, 2
      ) e full join (select * from group_period_usage where org_id = ${propOrg.id} and credits > 0) r
        on r.period = e.period and r.billing_group_id is not distinct from e.billing_group_id
      where r.credits is distinct from e.credits`),
    ).toBe(0);
    // And no limit was ever passed.
    const personal = await testDb().execute<{ member_id: string; credits: bigint }>(
      sql`select member_id, credits from member_period_usage where org_id = ${propOrg.id}`,
    );
    for (const row of personal) expect(BigInt(row.credits)).toBeLessThanOrEqual(limits.get(row.member_id) ?? 0n);
    expect(
      await check(sql`select count(*) as n from group_period_usage g join billing_groups b on b.org_id = g.org_id and b.id = g.billing_group_id
        where g.org_id = ${propOrg.id} and b.period_limit is not null and g.credits > b.period_limit`),
    ).toBe(0);
  });
});
