import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, members } from "@/db/schema";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { assignMembersToBillingGroup } from "./assignment";

const actor = { id: null, label: "test" };

describe("assignMembersToBillingGroup (R9, R12)", () => {
  it("moves members, leaves their role and limit alone, and audits each change", async () => {
    const org = await createOrg();
    const group = await createBillingGroup(org.id, { name: "Platform" });
    const a = await createMember(org.id, { role: "billing_admin", personalLimit: 1234n });
    const b = await createMember(org.id);
    const result = await testDb().transaction((tx) =>
      assignMembersToBillingGroup(tx, {
        orgId: org.id,
        actor,
        memberIds: [a.id, b.id, a.id],
        billingGroupId: group.id,
      }),
    );
    expect(result).toEqual({ assigned: 2, unchanged: 0, billingGroupName: "Platform" });
    const rows = await testDb().select().from(members).where(eq(members.orgId, org.id)).orderBy(members.email);
    for (const row of rows) expect(row.billingGroupId).toBe(group.id);
    const [after] = await testDb().select().from(members).where(eq(members.id, a.id));
    expect(after!.role).toBe("billing_admin");
    expect(after!.personalLimit).toBe(1234n);
    const entries = await testDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "member.billing_group_assigned")));
    expect(entries).toHaveLength(2);
    expect(entries[0]!.after).toMatchObject({ billingGroup: "Platform" });
  });

  it("is all or nothing: one unknown member changes nobody", async () => {
    const org = await createOrg();
    const group = await createBillingGroup(org.id);
    const a = await createMember(org.id);
    const stranger = await createMember((await createOrg()).id);
    await expect(
      testDb().transaction((tx) =>
        assignMembersToBillingGroup(tx, {
          orgId: org.id,
          actor,
          memberIds: [a.id, stranger.id],
          billingGroupId: group.id,
        }),
      ),
    ).rejects.toThrow(/no longer exists/);
    const [row] = await testDb().select().from(members).where(eq(members.id, a.id));
    expect(row!.billingGroupId).toBeNull();
  });

  it("refuses a deleted billing group", async () => {
    const org = await createOrg();
    const group = await createBillingGroup(org.id);
    await testDb().execute(
      sql`update billing_groups set deleted_at = now() where org_id = ${org.id} and id = ${group.id}`,
    );
    const a = await createMember(org.id);
    await expect(
      testDb().transaction((tx) =>
        assignMembersToBillingGroup(tx, { orgId: org.id, actor, memberIds: [a.id], billingGroupId: group.id }),
      ),
    ).rejects.toThrow(/no longer exists/);
  });

  it("returns members to Unassigned with a null group", async () => {
    const org = await createOrg();
    const group = await createBillingGroup(org.id);
    const a = await createMember(org.id, { billingGroupId: group.id });
    await testDb().transaction((tx) =>
      assignMembersToBillingGroup(tx, { orgId: org.id, actor, memberIds: [a.id], billingGroupId: null }),
    );
    const [row] = await testDb().select().from(members).where(eq(members.id, a.id));
    expect(row!.billingGroupId).toBeNull();
  });
});
