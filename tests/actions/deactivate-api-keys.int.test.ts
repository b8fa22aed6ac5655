// Issue 22, item 8: API keys of deactivated members. Keys are the organization's (R29): they keep
// working after their creator is deactivated, unless the admin deactivating asks to revoke them, in
// the same transaction, each revocation audited like a manual one (R36). Runs the real server
// action (real guard, only next-auth's session read replaced), then the real metering route.
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiKeys, auditLog, members } from "@/db/schema";
import type { ActionResult } from "@/lib/actions";
import { generateApiKey } from "@/lib/api-keys/rules";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { apiRequest, send } from "@/tests/support/api";
import { createMember, createOrg, testDb } from "@/tests/support/db";

const session: { current: { memberId: string; orgId: string; issuedAt: number } | null } = { current: null };

// The app queries as the runtime login role, as in production, so row-level security applies (R47).
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
  authSecret: () => "deactivate-keys-secret-".repeat(3),
}));
vi.mock("next-auth", async (original) => ({
  ...(await original<object>()),
  getServerSession: async () => session.current,
}));
vi.mock("next/server", async (original) => ({ ...(await original<object>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { deactivateMemberAction } = await import("@/app/(console)/members/actions");
const { listApiKeys } = await import("@/lib/api-keys/access");
const { getMemberProfile } = await import("@/lib/members/access");
const { memberPrincipal } = await import("@/lib/auth/principal");
const { getActiveMemberById } = await import("@/lib/members/queries");
const { POST: postUsage } = await import("@/app/api/v1/usage/route");

const createdOrgIds: string[] = [];
afterAll(async () => {
  for (const id of createdOrgIds) await testDb().execute(sql`delete from organizations where id = ${id}`);
});

const period = periodOf(now());

type Key = { id: string; secret: string };

/** A key as the console would have made it: with its creator, and revoked if asked. */
async function keyCreatedBy(orgId: string, createdBy: string, revoked = false): Promise<Key> {
  const key = generateApiKey();
  const [row] = await testDb()
    .insert(apiKeys)
    .values({
      orgId,
      name: `key ${randomUUID().slice(0, 6)}`,
      prefix: key.prefix,
      secretHash: key.secretHash,
      createdBy,
      revokedAt: revoked ? new Date("2026-01-02T00:00:00Z") : null,
    })
    .returning();
  return { id: row!.id, secret: key.secret };
}

/** An org with two admins (so one may deactivate the other), a key maker and a metered member. */
async function setUp() {
  const org = await createOrg();
  createdOrgIds.push(org.id);
  const admin = await createMember(org.id, { role: "admin", name: "Deciding Admin" });
  const keyMaker = await createMember(org.id, { role: "admin", name: "Ada Admin" });
  const colleague = await createMember(org.id, { role: "admin", name: "Colleague Admin" });
  const metered = await createMember(org.id, { personalLimit: 100_00n });
  const keys = {
    first: await keyCreatedBy(org.id, keyMaker.id),
    second: await keyCreatedBy(org.id, keyMaker.id),
    alreadyRevoked: await keyCreatedBy(org.id, keyMaker.id, true),
    colleagues: await keyCreatedBy(org.id, colleague.id),
  };
  return { org, admin, keyMaker, colleague, metered, keys };
}

function signInAs(orgId: string, memberId: string) {
  session.current = { orgId, memberId, issuedAt: Math.floor(Date.now() / 1000) };
}

async function principalOf(orgId: string, memberId: string) {
  const member = await testDb().transaction((tx) => getActiveMemberById(tx, { orgId, memberId }));
  return memberPrincipal(member!);
}

async function deactivate(input: Record<string, unknown>) {
  return (await deactivateMemberAction(input)) as ActionResult<{ changed: boolean; revokedApiKeys: number }>;
}

function meter(key: Key, member: string) {
  return send(
    postUsage,
    apiRequest("/api/v1/usage", { key: key.secret, body: { member, credits: "0.01", idempotencyKey: randomUUID() } }),
  );
}

async function keyRows(orgId: string) {
  const rows = await testDb()
    .select({ id: apiKeys.id, revokedAt: apiKeys.revokedAt, revokedBy: apiKeys.revokedBy })
    .from(apiKeys)
    .where(eq(apiKeys.orgId, orgId));
  return new Map(rows.map((r) => [r.id, r]));
}

async function auditOf(orgId: string) {
  return testDb()
    .select({
      action: auditLog.action,
      actorId: auditLog.actorId,
      targetId: auditLog.targetId,
      after: auditLog.after,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .where(eq(auditLog.orgId, orgId))
    .orderBy(auditLog.action, auditLog.targetId);
}

describe("deactivating a member who created API keys (issue 22)", () => {
  beforeAll(() => {
    session.current = null;
  });

  it("offers the count of their live keys to admins only, read from the database", async () => {
    const { org, admin, keyMaker } = await setUp();
    const billingAdmin = await createMember(org.id, { role: "billing_admin" });
    const asAdmin = await getMemberProfile(await principalOf(org.id, admin.id), { memberId: keyMaker.id, period });
    // Two live keys; the already revoked one and the colleague's do not count.
    expect(asAdmin.liveApiKeyCount).toBe(2);
    const asBillingAdmin = await getMemberProfile(await principalOf(org.id, billingAdmin.id), {
      memberId: keyMaker.id,
      period,
    });
    expect(asBillingAdmin.liveApiKeyCount).toBe(0);
  });

  it("by default keeps their keys working, and the API Keys list shows the creator as deactivated", async () => {
    const { org, admin, keyMaker, metered, keys } = await setUp();
    signInAs(org.id, admin.id);
    expect(await deactivate({ period, memberId: keyMaker.id })).toEqual({
      ok: true,
      data: { changed: true, revokedApiKeys: 0 },
    });

    const [member] = await testDb().select().from(members).where(eq(members.id, keyMaker.id));
    expect(member!.deactivatedAt).not.toBeNull();
    const rows = await keyRows(org.id);
    expect(rows.get(keys.first.id)!.revokedAt).toBeNull();
    expect(rows.get(keys.second.id)!.revokedAt).toBeNull();

    const kept = await meter(keys.first, metered.email);
    expect(kept.status).toBe(201);

    const audit = await auditOf(org.id);
    expect(audit.map((a) => a.action)).toEqual(["member.deactivated"]);
    expect(audit[0]!.after).toEqual({ active: false });

    const listed = await listApiKeys(await principalOf(org.id, admin.id));
    const byId = new Map(listed.map((k) => [k.id, k]));
    expect(byId.get(keys.first.id)).toMatchObject({ createdBy: "Ada Admin", createdByDeactivated: true });
    expect(byId.get(keys.alreadyRevoked.id)).toMatchObject({ createdBy: "Ada Admin", createdByDeactivated: true });
    expect(byId.get(keys.colleagues.id)).toMatchObject({ createdBy: "Colleague Admin", createdByDeactivated: false });
  });

  it("with revokeApiKeys revokes exactly their live keys in the same transaction, each audited", async () => {
    const { org, admin, keyMaker, metered, keys } = await setUp();
    const before = await keyRows(org.id);
    signInAs(org.id, admin.id);
    expect(await deactivate({ period, memberId: keyMaker.id, revokeApiKeys: true })).toEqual({
      ok: true,
      data: { changed: true, revokedApiKeys: 2 },
    });

    const [member] = await testDb().select().from(members).where(eq(members.id, keyMaker.id));
    const rows = await keyRows(org.id);
    for (const key of [keys.first, keys.second]) {
      // now() is the transaction's start: the same instant as the deactivation proves one transaction.
      expect(rows.get(key.id)).toEqual({ id: key.id, revokedAt: member!.deactivatedAt, revokedBy: admin.id });
    }
    // Already revoked: untouched. Someone else's key: untouched.
    expect(rows.get(keys.alreadyRevoked.id)).toEqual(before.get(keys.alreadyRevoked.id));
    expect(rows.get(keys.colleagues.id)!.revokedAt).toBeNull();

    const refused = await meter(keys.first, metered.email);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: "unauthorized" });
    expect((await meter(keys.second, metered.email)).status).toBe(401);
    expect((await meter(keys.colleagues, metered.email)).status).toBe(201);

    const audit = await auditOf(org.id);
    const revokedIds = [keys.first.id, keys.second.id].sort();
    expect(audit.map((a) => [a.action, a.targetId])).toEqual([
      ["api_key.revoked", revokedIds[0]],
      ["api_key.revoked", revokedIds[1]],
      ["member.deactivated", keyMaker.id],
    ]);
    for (const entry of audit) {
      expect(entry.actorId).toBe(admin.id);
      expect(entry.createdAt).toEqual(member!.deactivatedAt);
    }
    expect(audit[0]!.after).toEqual({ revoked: true });
    expect(audit[2]!.after).toEqual({ active: false, apiKeysRevoked: 2 });
  });

  it("refuses a non-boolean revokeApiKeys with a field error and changes nothing", async () => {
    const { org, admin, keyMaker, keys } = await setUp();
    signInAs(org.id, admin.id);
    const result = await deactivate({ period, memberId: keyMaker.id, revokeApiKeys: "yes" });
    expect(result).toMatchObject({ ok: false, code: "invalid_input" });
    expect(result.ok ? null : result.fieldErrors?.revokeApiKeys).toHaveLength(1);
    const [member] = await testDb().select().from(members).where(eq(members.id, keyMaker.id));
    expect(member!.deactivatedAt).toBeNull();
    expect((await keyRows(org.id)).get(keys.first.id)!.revokedAt).toBeNull();
    expect(await auditOf(org.id)).toEqual([]);
  });

  it("a refused deactivation revokes nothing: all or nothing", async () => {
    const { org, admin, keys } = await setUp();
    const own = await keyCreatedBy(org.id, admin.id);
    signInAs(org.id, admin.id);
    expect(await deactivate({ period, memberId: admin.id, revokeApiKeys: true })).toMatchObject({
      ok: false,
      code: "conflict",
    });
    const rows = await keyRows(org.id);
    expect(rows.get(own.id)!.revokedAt).toBeNull();
    expect(rows.get(keys.first.id)!.revokedAt).toBeNull();
    expect(await auditOf(org.id)).toEqual([]);
  });

  it("another org's admin cannot revoke this org's keys through its member id", async () => {
    const { org, keyMaker, keys } = await setUp();
    const other = await createOrg();
    createdOrgIds.push(other.id);
    const outsider = await createMember(other.id, { role: "admin" });
    signInAs(other.id, outsider.id);
    expect(await deactivate({ period, memberId: keyMaker.id, revokeApiKeys: true })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    const revoked = await testDb()
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.orgId, org.id),
          inArray(apiKeys.id, [keys.first.id, keys.second.id]),
          sql`${apiKeys.revokedAt} is not null`,
        ),
      );
    expect(revoked).toEqual([]);
  });

  it("revokes the keys of a member deactivated earlier when asked, without a second deactivation entry", async () => {
    const { org, admin, keyMaker, keys } = await setUp();
    signInAs(org.id, admin.id);
    await deactivate({ period, memberId: keyMaker.id });
    expect(await deactivate({ period, memberId: keyMaker.id, revokeApiKeys: true })).toEqual({
      ok: true,
      data: { changed: false, revokedApiKeys: 2 },
    });
    expect((await keyRows(org.id)).get(keys.second.id)!.revokedAt).not.toBeNull();
    const actions = (await auditOf(org.id)).map((a) => a.action);
    expect(actions).toEqual(["api_key.revoked", "api_key.revoked", "member.deactivated"]);
  });
});
