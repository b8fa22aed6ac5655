import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Transaction } from "@/db/connection";
import { auditLog, members } from "@/db/schema";
import { ForbiddenError } from "@/lib/errors";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import {
  addMember,
  assignBillingGroup,
  changeMemberRole,
  deactivateMember,
  DUPLICATE_EMAIL_MESSAGE,
  reactivateMember,
  setPersonalLimit,
  type MemberActor,
} from "./service";

const tx = <T>(work: (t: Transaction) => Promise<T>) => testDb().transaction(work);

async function orgWithAdmin() {
  const org = await createOrg();
  const admin = await createMember(org.id, { role: "admin" });
  const actor: MemberActor = { id: admin.id, label: admin.email, role: "admin" };
  return { org, admin, actor };
}

async function auditActions(orgId: string) {
  const rows = await testDb().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.orgId, orgId));
  return rows.map((r) => r.action).sort();
}

describe("addMember (R2)", () => {
  it("adds a member with an optional limit and billing group, audited", async () => {
    const { org, actor } = await orgWithAdmin();
    const group = await createBillingGroup(org.id, { name: "Design" });
    const { id } = await tx((t) =>
      addMember(t, {
        orgId: org.id,
        actor,
        input: {
          name: "Nia",
          email: "Nia@Example.test",
          role: "member",
          personalLimit: 12_50n,
          billingGroupId: group.id,
        },
      }),
    );
    const [row] = await testDb().select().from(members).where(eq(members.id, id));
    expect(row).toMatchObject({
      name: "Nia",
      email: "Nia@Example.test",
      personalLimit: 1250n,
      billingGroupId: group.id,
    });
    expect(await auditActions(org.id)).toEqual(["member.billing_group_assigned", "member.created"]);
  });

  it("refuses a duplicate email case-insensitively with a field error, changing nothing", async () => {
    const { org, actor } = await orgWithAdmin();
    await createMember(org.id, { email: "taken@example.test" });
    const attempt = tx((t) =>
      addMember(t, {
        orgId: org.id,
        actor,
        input: { name: "X", email: "TAKEN@example.test", role: "member", personalLimit: null, billingGroupId: null },
      }),
    );
    await expect(attempt).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { email: [DUPLICATE_EMAIL_MESSAGE] },
    });
    const count = await testDb().select().from(members).where(eq(members.orgId, org.id));
    expect(count).toHaveLength(2);
  });

  it("is admin only, checked by the service itself (R3)", async () => {
    const { org } = await orgWithAdmin();
    const billing = await createMember(org.id, { role: "billing_admin" });
    const actor: MemberActor = { id: billing.id, label: billing.email, role: "billing_admin" };
    await expect(
      tx((t) =>
        addMember(t, {
          orgId: org.id,
          actor,
          input: { name: "X", email: "x@example.test", role: "member", personalLimit: null, billingGroupId: null },
        }),
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("billing group assignment from the members screen (R12)", () => {
  it("bulk-assigns 1,000 members in one transaction", async () => {
    const { org, actor } = await orgWithAdmin();
    const group = await createBillingGroup(org.id, { name: "Engineering" });
    const rows = await testDb()
      .insert(members)
      .values(
        Array.from({ length: 1000 }, (_, i) => ({
          orgId: org.id,
          name: `Bulk ${i}`,
          email: `bulk-${i}@example.test`,
          personalLimit: 500n,
        })),
      )
      .returning({ id: members.id });
    const ids = rows.map((r) => r.id);
    const result = await tx((t) =>
      assignBillingGroup(t, { orgId: org.id, actor, memberIds: ids, billingGroupId: group.id }),
    );
    expect(result.assigned).toBe(1000);
    const [{ n } = { n: 0 }] = await testDb()
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(members)
      .where(and(eq(members.orgId, org.id), eq(members.billingGroupId, group.id)));
    expect(n).toBe(1000);
  });

  it("bulk assign is all or nothing: one deactivated member in 1,000 changes nobody", async () => {
    const { org, actor } = await orgWithAdmin();
    const group = await createBillingGroup(org.id);
    const rows = await testDb()
      .insert(members)
      .values(
        Array.from({ length: 1000 }, (_, i) => ({ orgId: org.id, name: `Bulk ${i}`, email: `bulk-${i}@example.test` })),
      )
      .returning({ id: members.id });
    await testDb().update(members).set({ deactivatedAt: new Date() }).where(eq(members.id, rows[999]!.id));
    await expect(
      tx((t) =>
        assignBillingGroup(t, { orgId: org.id, actor, memberIds: rows.map((r) => r.id), billingGroupId: group.id }),
      ),
    ).rejects.toThrow();
    const assigned = await testDb()
      .select()
      .from(members)
      .where(and(eq(members.orgId, org.id), eq(members.billingGroupId, group.id)));
    expect(assigned).toHaveLength(0);
    expect(await auditActions(org.id)).toEqual([]);
  });

  it("a billing admin may assign (R3)", async () => {
    const { org } = await orgWithAdmin();
    const billing = await createMember(org.id, { role: "billing_admin" });
    const group = await createBillingGroup(org.id);
    const m = await createMember(org.id);
    await tx((t) =>
      assignBillingGroup(t, {
        orgId: org.id,
        actor: { id: billing.id, label: "b", role: "billing_admin" },
        memberIds: [m.id],
        billingGroupId: group.id,
      }),
    );
    const [row] = await testDb().select().from(members).where(eq(members.id, m.id));
    expect(row!.billingGroupId).toBe(group.id);
  });
});

describe("setPersonalLimit (R18)", () => {
  it("sets one limit for many members in one transaction, audited per change", async () => {
    const { org, actor } = await orgWithAdmin();
    const a = await createMember(org.id);
    const b = await createMember(org.id, { personalLimit: 100n });
    const c = await createMember(org.id, { personalLimit: 25_000n });
    const result = await tx((t) =>
      setPersonalLimit(t, { orgId: org.id, actor, memberIds: [a.id, b.id, c.id], personalLimit: 25_000n }),
    );
    expect(result).toEqual({ updated: 2, unchanged: 1 });
    const rows = await testDb()
      .select()
      .from(members)
      .where(inArray(members.id, [a.id, b.id, c.id]));
    for (const row of rows) expect(row.personalLimit).toBe(25_000n);
    const entries = await testDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "member.personal_limit_set")));
    expect(entries).toHaveLength(2);
    expect(entries.find((e) => e.targetId === b.id)!).toMatchObject({
      before: { personalLimit: "1" },
      after: { personalLimit: "250" },
    });
  });

  it("can clear a limit (not configured) and set 0; an unknown member changes nobody", async () => {
    const { org, actor } = await orgWithAdmin();
    const a = await createMember(org.id, { personalLimit: 100n });
    await tx((t) => setPersonalLimit(t, { orgId: org.id, actor, memberIds: [a.id], personalLimit: null }));
    expect((await testDb().select().from(members).where(eq(members.id, a.id)))[0]!.personalLimit).toBeNull();
    const stranger = await createMember((await createOrg()).id);
    await expect(
      tx((t) => setPersonalLimit(t, { orgId: org.id, actor, memberIds: [a.id, stranger.id], personalLimit: 0n })),
    ).rejects.toThrow(/no longer exists/);
    expect((await testDb().select().from(members).where(eq(members.id, a.id)))[0]!.personalLimit).toBeNull();
  });
});

describe("roles and activation (R3)", () => {
  it("an admin changes a role, audited; a billing admin is refused", async () => {
    const { org, actor } = await orgWithAdmin();
    const billing = await createMember(org.id, { role: "billing_admin" });
    const m = await createMember(org.id);
    await tx((t) => changeMemberRole(t, { orgId: org.id, actor, memberId: m.id, role: "billing_admin" }));
    expect((await testDb().select().from(members).where(eq(members.id, m.id)))[0]!.role).toBe("billing_admin");
    const billingActor: MemberActor = { id: billing.id, label: "b", role: "billing_admin" };
    await expect(
      tx((t) => changeMemberRole(t, { orgId: org.id, actor: billingActor, memberId: m.id, role: "admin" })),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      tx((t) => deactivateMember(t, { orgId: org.id, actor: billingActor, memberId: m.id })),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await testDb().select().from(members).where(eq(members.id, m.id)))[0]!.role).toBe("billing_admin");
    expect(await auditActions(org.id)).toEqual(["member.role_changed"]);
  });

  it("an admin cannot demote or deactivate themself", async () => {
    const { org, admin, actor } = await orgWithAdmin();
    await createMember(org.id, { role: "admin" });
    await expect(
      tx((t) => changeMemberRole(t, { orgId: org.id, actor, memberId: admin.id, role: "member" })),
    ).rejects.toThrow(/your own role/);
    await expect(tx((t) => deactivateMember(t, { orgId: org.id, actor, memberId: admin.id }))).rejects.toThrow(
      /deactivate yourself/,
    );
  });

  it("keeps at least one active admin", async () => {
    const { org, admin, actor } = await orgWithAdmin();
    const other = await createMember(org.id, { role: "admin" });
    // The other admin deactivates us would leave them the last; demoting them must then fail.
    const otherActor: MemberActor = { id: other.id, label: "o", role: "admin" };
    await tx((t) => deactivateMember(t, { orgId: org.id, actor: otherActor, memberId: admin.id }));
    // A third admin, deactivated, does not count.
    const third = await createMember(org.id, { role: "admin", deactivatedAt: new Date() });
    const thirdActor: MemberActor = { id: third.id, label: "t", role: "admin" };
    await expect(
      tx((t) => changeMemberRole(t, { orgId: org.id, actor: thirdActor, memberId: other.id, role: "member" })),
    ).rejects.toThrow(/at least one active admin/);
    await expect(
      tx((t) => deactivateMember(t, { orgId: org.id, actor: thirdActor, memberId: other.id })),
    ).rejects.toThrow(/at least one active admin/);
    // Reactivating the first admin makes demotion possible again.
    await tx((t) => reactivateMember(t, { orgId: org.id, actor: otherActor, memberId: admin.id }));
    await tx((t) => changeMemberRole(t, { orgId: org.id, actor, memberId: other.id, role: "member" }));
    expect(await auditActions(org.id)).toEqual(["member.deactivated", "member.reactivated", "member.role_changed"]);
  });

  it("two admins deactivating each other at once: exactly one succeeds, one admin stays active", async () => {
    const { org, admin, actor } = await orgWithAdmin();
    const other = await createMember(org.id, { role: "admin" });
    const otherActor: MemberActor = { id: other.id, label: "o", role: "admin" };
    const results = await Promise.allSettled([
      tx((t) => deactivateMember(t, { orgId: org.id, actor, memberId: other.id })),
      tx((t) => deactivateMember(t, { orgId: org.id, actor: otherActor, memberId: admin.id })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "conflict" });
    const active = await testDb()
      .select()
      .from(members)
      .where(and(eq(members.orgId, org.id), eq(members.role, "admin"), sql`deactivated_at is null`));
    expect(active).toHaveLength(1);
  });
});
