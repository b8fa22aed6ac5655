// The one-statement recording path (issue 8, migration 0004): `recordUsage` and the database
// functions under it, judged on the same rules as before the change (R20, R21, R30).
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { formatCredits } from "@/lib/credits/rules";
import { hashApiKey } from "@/lib/api-keys/rules";
import { setClock } from "@/lib/clock";
import { apiRequest, createApiKeyFor, createScopedApiKey, send } from "@/tests/support/api";
import { createBillingGroup, createMember, createOrg as createTestOrg, testDb } from "@/tests/support/db";
import { figures, usageRequestHash } from "./rules";

vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "20";
});
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const { recordUsage, recordUsageWithApiKey } = await import("./service");
const usageRoute = await import("@/app/api/v1/usage/route");

const createdOrgIds: string[] = [];
async function createOrg() {
  const created = await createTestOrg();
  createdOrgIds.push(created.id);
  return created;
}

let org: Awaited<ReturnType<typeof createOrg>>;
let key: Awaited<ReturnType<typeof createApiKeyFor>>;

beforeAll(async () => {
  org = await createOrg();
  key = await createApiKeyFor(org.id);
});

afterAll(async () => {
  for (const id of createdOrgIds) await testDb().execute(sql`delete from organizations where id = ${id}`);
});

afterEach(() => setClock(null));

function record(member: string, credits: bigint, idempotencyKey: string = randomUUID()) {
  return recordUsage({
    orgId: org.id,
    apiKeyId: key.id,
    member,
    credits,
    idempotencyKey,
    requestHash: usageRequestHash({ member, credits }),
  });
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const rows = await testDb().execute<{ n: number }>(query);
  return Number(rows[0]!.n);
}

const usageRowsOf = (memberId: string) =>
  count(sql`select
    (select count(*) from usage_events where org_id = ${org.id} and member_id = ${memberId}) +
    (select count(*) from member_period_usage where org_id = ${org.id} and member_id = ${memberId}) +
    (select count(*) from member_group_period_usage where org_id = ${org.id} and member_id = ${memberId}) as n`);

describe("credits in responses are formatted by the database exactly as formatCredits() does", () => {
  it("agrees on every shape of amount", async () => {
    const samples = [
      0n,
      1n,
      5n,
      9n,
      10n,
      11n,
      50n,
      99n,
      100n,
      101n,
      105n,
      110n,
      150n,
      1_000n,
      1_234n,
      12_340n,
      123_456_789n,
      100_000_000_000_000n,
      -1n,
      -150n,
    ];
    const rows = await testDb().execute<{ h: string; text: string }>(
      sql`select h::text as h, ledgerline_format_credits(h) as text from unnest(${sql.raw(`array[${samples.join(",")}]::bigint[]`)}) as h`,
    );
    expect(rows.map((r) => [r.h, r.text])).toEqual(samples.map((h) => [h.toString(), formatCredits(h)]));
  });

  it("agrees with figures(), with and without a limit", async () => {
    for (const [used, limit] of [
      [0n, 500n],
      [250n, 500n],
      [700n, 500n],
      [1_234n, null],
    ] as const) {
      const rows = await testDb().execute<{ f: unknown }>(
        sql`select ledgerline_credit_figures(${used}::bigint, ${limit}::bigint) as f`,
      );
      expect(rows[0]!.f).toEqual(figures(used, limit));
    }
  });
});

describe("recordUsage outcomes", () => {
  it("accepts with the documented body and records the event, both rollups and the key", async () => {
    const group = await createBillingGroup(org.id, { periodLimit: 1_000n });
    const member = await createMember(org.id, { personalLimit: 500n, billingGroupId: group.id });
    setClock(new Date("2031-07-04T10:20:30.456Z"));
    const outcome = await record(member.email.toUpperCase(), 125n);
    expect(outcome).toEqual({
      kind: "accepted",
      body: {
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        period: "2031-07",
        recordedAt: "2031-07-04T10:20:30.456Z",
        member: { id: member.id, email: member.email },
        credits: "1.25",
        billingGroup: { id: group.id, name: group.name },
        personal: { used: "1.25", limit: "5", remaining: "3.75", limitSource: "personal" },
        group: { used: "1.25", limit: "10", remaining: "8.75" },
      },
    });
    const eventId = outcome.kind === "accepted" ? outcome.body.eventId : "";
    const [event] = await testDb().execute<{ api_key_id: string; recorded_at: Date; billing_group_id: string }>(
      sql`select api_key_id, recorded_at, billing_group_id from usage_events where org_id = ${org.id} and id = ${eventId}`,
    );
    expect(event).toMatchObject({ api_key_id: key.id, billing_group_id: group.id });
    expect(new Date(event!.recorded_at).toISOString()).toBe("2031-07-04T10:20:30.456Z");
    expect(await usageRowsOf(member.id)).toBe(3);
  });

  it("attributes a member without a billing group to Unassigned, with no group limit", async () => {
    const member = await createMember(org.id, { personalLimit: 500n });
    const outcome = await record(member.id, 100n);
    expect(outcome.kind).toBe("accepted");
    expect(outcome.body).toMatchObject({
      billingGroup: { id: "unassigned", name: "Unassigned" },
      group: { limit: null, remaining: null },
    });
  });

  it("replays an accepted key with the original body, and refuses it for another body", async () => {
    const member = await createMember(org.id, { personalLimit: 500n });
    const idem = randomUUID();
    const first = await record(member.email, 150n, idem);
    setClock(new Date("2031-08-01T00:00:00Z"));
    expect(await record(member.email, 150n, idem)).toEqual({ kind: "replayed", body: first.body });
    expect((await record(member.email, 151n, idem)).kind).toBe("idempotency_conflict");
    expect(
      await count(sql`select count(*) as n from usage_events where org_id = ${org.id} and member_id = ${member.id}`),
    ).toBe(1);
  });

  it("answers member_not_found for an unknown, deactivated or other org's member, and records nothing", async () => {
    const gone = await createMember(org.id, { personalLimit: 500n, deactivatedAt: new Date() });
    const other = await createMember((await createOrg()).id, { personalLimit: 500n });
    for (const member of [randomUUID(), "nobody@example.test", gone.id, gone.email, other.id, other.email]) {
      expect((await record(member, 1n)).kind).toBe("member_not_found");
    }
    expect(await usageRowsOf(gone.id)).toBe(0);
  });

  it("rejects with each R30 code and writes nothing — also when only the group limit binds", async () => {
    const tight = await createBillingGroup(org.id, { periodLimit: 300n });
    const noLimit = await createMember(org.id, { personalLimit: null });
    const zero = await createMember(org.id, { personalLimit: 0n });
    const small = await createMember(org.id, { personalLimit: 200n });
    const grouped = await createMember(org.id, { personalLimit: 10_000n, billingGroupId: tight.id });
    expect(await record(noLimit.id, 1n)).toMatchObject({
      kind: "rejected",
      body: { error: "personal_limit_not_configured" },
    });
    expect(await record(zero.id, 1n)).toMatchObject({
      kind: "rejected",
      body: { error: "personal_limit_not_configured" },
    });
    expect(await record(small.id, 201n)).toMatchObject({ kind: "rejected", body: { error: "personal_limit_reached" } });
    expect(await record(grouped.id, 301n)).toMatchObject({ kind: "rejected", body: { error: "group_limit_reached" } });
    for (const member of [noLimit, zero, small, grouped]) expect(await usageRowsOf(member.id)).toBe(0);

    // With usage on the books: a rejection by the group leaves the member's own total untouched.
    expect((await record(grouped.id, 250n)).kind).toBe("accepted");
    expect(await record(grouped.id, 51n)).toMatchObject({
      kind: "rejected",
      body: { error: "group_limit_reached", message: expect.any(String) },
    });
    const [personal] = await testDb().execute<{ credits: bigint }>(
      sql`select credits from member_period_usage where org_id = ${org.id} and member_id = ${grouped.id}`,
    );
    expect(BigInt(personal!.credits)).toBe(250n);
    expect(
      await count(sql`select count(*) as n from usage_events where org_id = ${org.id} and member_id = ${grouped.id}`),
    ).toBe(1);
  });

  it("judges a key afresh after a group-limit rejection, once the limit is raised", async () => {
    const group = await createBillingGroup(org.id, { periodLimit: 100n });
    const member = await createMember(org.id, { personalLimit: 10_000n, billingGroupId: group.id });
    const idem = randomUUID();
    expect((await record(member.id, 200n, idem)).kind).toBe("rejected");
    await testDb().execute(
      sql`update billing_groups set period_limit = 1000 where org_id = ${org.id} and id = ${group.id}`,
    );
    expect(await record(member.id, 200n, idem)).toMatchObject({
      kind: "accepted",
      body: { group: { used: "2", limit: "10", remaining: "8" } },
    });
    expect((await record(member.id, 200n, idem)).kind).toBe("replayed");
  });

  it("accepts exactly 50 of 200 parallel 1-Credit events against a personal limit of 50", async () => {
    const member = await createMember(org.id, { personalLimit: 5_000n });
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => record(member.id, 100n)));
    expect(outcomes.filter((o) => o.kind === "accepted")).toHaveLength(50);
    expect(outcomes.filter((o) => o.kind === "rejected" && o.body.error === "personal_limit_reached")).toHaveLength(
      150,
    );
    const personal = outcomes.flatMap((o) => (o.kind === "accepted" ? [o.body.personal.used] : []));
    // Every accepted event saw its own running total: 1, 2, … 50 Credits, each exactly once.
    expect(new Set(personal).size).toBe(50);
  });
});

describe("recordUsageWithApiKey: the key check in the same statement", () => {
  it("records for the key's org and returns the key", async () => {
    const member = await createMember(org.id, { personalLimit: 500n });
    const recorded = await recordUsageWithApiKey({
      keyHash: hashApiKey(key.secret),
      member: member.email,
      credits: 1n,
      idempotencyKey: randomUUID(),
      requestHash: usageRequestHash({ member: member.email, credits: 1n }),
    });
    expect(recorded).toMatchObject({ key: { orgId: org.id, apiKeyId: key.id }, outcome: { kind: "accepted" } });
  });

  it("answers unknown_key for an unknown or revoked key, and records nothing", async () => {
    const member = await createMember(org.id, { personalLimit: 500n });
    const revoked = await createApiKeyFor(org.id);
    await testDb().execute(sql`update api_keys set revoked_at = now() where org_id = ${org.id} and id = ${revoked.id}`);
    for (const secret of [`ll_abcdefgh_${"A".repeat(43)}`, revoked.secret]) {
      const recorded = await recordUsageWithApiKey({
        keyHash: hashApiKey(secret),
        member: member.id,
        credits: 1n,
        idempotencyKey: randomUUID(),
        requestHash: usageRequestHash({ member: member.id, credits: 1n }),
      });
      expect(recorded).toEqual({ kind: "unknown_key" });
    }
    expect(await usageRowsOf(member.id)).toBe(0);
  });

  it("answers insufficient_scope for a live key without `usage`, and records nothing (R44)", async () => {
    const member = await createMember(org.id, { personalLimit: 500n });
    const readOnly = await createScopedApiKey(org.id, ["read", "admin"]);
    const recorded = await recordUsageWithApiKey({
      keyHash: hashApiKey(readOnly.secret),
      member: member.id,
      credits: 1n,
      idempotencyKey: randomUUID(),
      requestHash: usageRequestHash({ member: member.id, credits: 1n }),
    });
    expect(recorded).toEqual({ kind: "insufficient_scope", key: { orgId: org.id, apiKeyId: readOnly.id } });
    expect(await usageRowsOf(member.id)).toBe(0);
  });
});

describe("POST /api/v1/usage keeps its refusal order", () => {
  const unknownKey = `ll_abcdefgh_${"B".repeat(43)}`;

  it("answers 401 to an unknown key whatever the body, and 400/413 to a known key", async () => {
    const bodies: [string, { body?: unknown; rawBody?: string }, number][] = [
      ["invalid JSON", { rawBody: "{not json" }, 400],
      ["an invalid event", { body: { member: "x@y.z", credits: "0", idempotencyKey: "k" } }, 400],
      ["an oversized body", { rawBody: JSON.stringify({ pad: "x".repeat(17_000) }) }, 413],
    ];
    for (const [label, init, status] of bodies) {
      const refused = await send(usageRoute.POST, apiRequest("/api/v1/usage", { key: unknownKey, ...init }));
      expect(refused.status, `unknown key, ${label}`).toBe(401);
      expect(refused.body.error).toBe("unauthorized");
      const known = await send(usageRoute.POST, apiRequest("/api/v1/usage", { key: key.secret, ...init }));
      expect(known.status, `known key, ${label}`).toBe(status);
    }
  });
});
