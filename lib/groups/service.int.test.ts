import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Transaction } from "@/db/connection";
import { auditLog, groupMemberships, groups, memberPeriodUsage, members } from "@/db/schema";
import { ForbiddenError } from "@/lib/errors";
import type { MemberActor } from "@/lib/members/service";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { getGroupWithMembers, listGroups, searchGroupCandidates } from "./queries";
import {
  addGroupMembers,
  createGroup,
  deleteGroup,
  DUPLICATE_GROUP_MESSAGE,
  removeGroupMember,
  updateGroup,
} from "./service";

const tx = <T>(work: (t: Transaction) => Promise<T>) => testDb().transaction(work);

async function setup() {
  const org = await createOrg();
  const admin = await createMember(org.id, { role: "admin" });
  const actor: MemberActor = { id: admin.id, label: admin.email, role: "admin" };
  return { org, admin, actor };
}

const snapshot = (orgId: string) =>
  testDb()
    .select({
      id: members.id,
      role: members.role,
      billingGroupId: members.billingGroupId,
      personalLimit: members.personalLimit,
      deactivatedAt: members.deactivatedAt,
    })
    .from(members)
    .where(eq(members.orgId, orgId))
    .orderBy(members.id);

describe("groups (R5–R8)", () => {
  it("searches name and description and pages the matches in SQL, counting members per page (R46)", async () => {
    const { org, actor } = await setup();
    for (let i = 1; i <= 30; i++)
      await tx((t) =>
        createGroup(t, {
          orgId: org.id,
          actor,
          name: `Squad ${String(i).padStart(2, "0")}`,
          description: i % 2 ? "odd_one" : "even",
        }),
      );
    const page = (search: string, offset = 0) =>
      listGroups(testDb(), { orgId: org.id, search, page: { limit: 25, offset } });
    const first = await page("squad");
    expect(first.total).toBe(30);
    expect(first.rows.map((g) => g.name).slice(0, 2)).toEqual(["Squad 01", "Squad 02"]);
    expect(first.rows).toHaveLength(25);
    expect((await page("SQUAD", 25)).rows.map((g) => g.name)).toEqual([
      "Squad 26",
      "Squad 27",
      "Squad 28",
      "Squad 29",
      "Squad 30",
    ]);
    expect((await page("odd_one")).total).toBe(15);
    expect((await page("odd%one")).total).toBe(0);
    expect((await page("nothing like it")).rows).toEqual([]);
  });

  it("creates, lists with member counts, edits, and refuses duplicate names case-insensitively", async () => {
    const { org, actor } = await setup();
    const { id } = await tx((t) =>
      createGroup(t, { orgId: org.id, actor, name: "Platform Team", description: "Infra" }),
    );
    await expect(
      tx((t) => createGroup(t, { orgId: org.id, actor, name: "platform team", description: "" })),
    ).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { name: [DUPLICATE_GROUP_MESSAGE] },
    });
    const other = await tx((t) => createGroup(t, { orgId: org.id, actor, name: "Reviewers", description: "" }));
    await expect(
      tx((t) => updateGroup(t, { orgId: org.id, actor, groupId: other.id, name: "PLATFORM TEAM", description: "" })),
    ).rejects.toThrow(DUPLICATE_GROUP_MESSAGE);
    await tx((t) =>
      updateGroup(t, { orgId: org.id, actor, groupId: id, name: "Platform", description: "Shared infra" }),
    );
    // The same name in another org is fine.
    const elsewhere = await setup();
    await tx((t) =>
      createGroup(t, { orgId: elsewhere.org.id, actor: elsewhere.actor, name: "Platform", description: "" }),
    );
    const list = (await listGroups(testDb(), { orgId: org.id, search: "", page: { limit: 25, offset: 0 } })).rows;
    expect(list.map((g) => [g.name, g.description, g.memberCount])).toEqual([
      ["Platform", "Shared infra", 0],
      ["Reviewers", "", 0],
    ]);
    const actions = await testDb().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.orgId, org.id));
    expect(actions.map((a) => a.action).sort()).toEqual(["group.created", "group.created", "group.updated"]);
  });

  it("adding, removing and deleting never touch role, billing group, limit or usage (R7, R8)", async () => {
    const { org, actor } = await setup();
    const bg = await createBillingGroup(org.id);
    const people = [
      await createMember(org.id, { role: "billing_admin", billingGroupId: bg.id, personalLimit: 1000n }),
      await createMember(org.id, { personalLimit: null }),
      await createMember(org.id, { billingGroupId: bg.id, personalLimit: 0n }),
    ];
    await testDb()
      .insert(memberPeriodUsage)
      .values({ orgId: org.id, memberId: people[0]!.id, period: "2026-11", credits: 300n });
    const before = await snapshot(org.id);
    const { id: groupId } = await tx((t) =>
      createGroup(t, { orgId: org.id, actor, name: "Reviewers", description: "" }),
    );
    const ids = people.map((p) => p.id);
    expect(await tx((t) => addGroupMembers(t, { orgId: org.id, actor, groupId, memberIds: ids }))).toEqual({
      added: 3,
    });
    // Adding again is a no-op.
    expect(await tx((t) => addGroupMembers(t, { orgId: org.id, actor, groupId, memberIds: [ids[0]!] }))).toEqual({
      added: 0,
    });
    const [first] = (await listGroups(testDb(), { orgId: org.id, search: "", page: { limit: 25, offset: 0 } })).rows;
    expect(first!.memberCount).toBe(3);
    await tx((t) => removeGroupMember(t, { orgId: org.id, actor, groupId, memberId: ids[1]! }));
    const details = await getGroupWithMembers(testDb(), { orgId: org.id, groupId });
    expect(details!.members.map((m) => m.id).sort()).toEqual([ids[0]!, ids[2]!].sort());
    expect(details!.memberCount).toBe(2);
    expect(
      (await searchGroupCandidates(testDb(), { orgId: org.id, groupId, search: "" })).map((m) => m.id).sort(),
    ).toEqual([ids[1]!, actor.id].sort());
    // A wrong name changes nothing (issue 18: the one confirmation pattern).
    await expect(tx((t) => deleteGroup(t, { orgId: org.id, actor, groupId, confirmName: "not it" }))).rejects.toThrow(
      /exactly to confirm/,
    );
    const [{ name } = { name: "" }] = await testDb()
      .select({ name: groups.name })
      .from(groups)
      .where(eq(groups.id, groupId));
    await tx((t) => deleteGroup(t, { orgId: org.id, actor, groupId, confirmName: ` ${name} ` }));
    expect(await testDb().select().from(groups).where(eq(groups.id, groupId))).toHaveLength(0);
    expect(await testDb().select().from(groupMemberships).where(eq(groupMemberships.groupId, groupId))).toHaveLength(0);
    expect(await snapshot(org.id)).toEqual(before);
    const usage = await testDb().select().from(memberPeriodUsage).where(eq(memberPeriodUsage.orgId, org.id));
    expect(usage.map((u) => u.credits)).toEqual([300n]);
    const actions = await testDb().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.orgId, org.id));
    expect(actions.map((a) => a.action).sort()).toEqual([
      "group.created",
      "group.deleted",
      "group.member_removed",
      "group.members_added",
    ]);
  });

  it("refuses members of another org or deactivated ones, all or nothing", async () => {
    const { org, actor } = await setup();
    const { id: groupId } = await tx((t) => createGroup(t, { orgId: org.id, actor, name: "G", description: "" }));
    const mine = await createMember(org.id);
    const stranger = await createMember((await createOrg()).id);
    await expect(
      tx((t) => addGroupMembers(t, { orgId: org.id, actor, groupId, memberIds: [mine.id, stranger.id] })),
    ).rejects.toThrow(/no longer exists/);
    expect(
      await testDb()
        .select()
        .from(groupMemberships)
        .where(and(eq(groupMemberships.orgId, org.id), inArray(groupMemberships.memberId, [mine.id]))),
    ).toHaveLength(0);
  });

  it("is admin only, enforced by the service (R3)", async () => {
    const { org } = await setup();
    const billing = await createMember(org.id, { role: "billing_admin" });
    const actor: MemberActor = { id: billing.id, label: "b", role: "billing_admin" };
    await expect(
      tx((t) => createGroup(t, { orgId: org.id, actor, name: "Nope", description: "" })),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
