import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { Transaction } from "@/db/connection";
import {
  auditLog,
  billingGroups,
  groupPeriodUsage,
  memberGroupPeriodUsage,
  memberPeriodUsage,
  members,
  organizations,
  usageEvents,
} from "@/db/schema";
import { createBillingGroup as makeGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { assignMembersToBillingGroup } from "./assignment";
import { toDetailsDto } from "./dto";
import {
  DETAILS_LIST_LIMIT,
  getBillingGroupDetails,
  getBillingGroupsForPeriod,
  searchMembersForAssignment,
} from "./queries";
import { createBillingGroup, deleteBillingGroup, setBillingGroupPeriodLimit, updateBillingGroup } from "./service";

const actor = { id: null, label: "test admin" };
const PERIOD = "2026-11";
const byName = { key: "name", direction: "asc" } as const;

function tx<T>(work: (t: Transaction) => Promise<T>) {
  return testDb().transaction(work);
}

async function auditActions(orgId: string) {
  const rows = await testDb()
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.orgId, orgId))
    .orderBy(auditLog.createdAt);
  return rows.map((r) => r.action);
}

// Orgs given usage here are deleted afterwards: db/tests/demo-seed.int.test.ts compares rollups
// with a full join that sees every org's rollup rows, so leftovers from this file would break it.
const orgsWithUsage = new Set<string>();
afterAll(async () => {
  for (const id of orgsWithUsage) await testDb().delete(organizations).where(eq(organizations.id, id));
});

/** Records an accepted usage event and its rollups the way the metering transaction does (R21). */
async function recordUsage(
  orgId: string,
  memberId: string,
  billingGroupId: string | null,
  credits: bigint,
  period = PERIOD,
) {
  const db = testDb();
  orgsWithUsage.add(orgId);
  await db.insert(usageEvents).values({ orgId, memberId, billingGroupId, period, credits });
  await db.execute(sql`
    insert into member_group_period_usage (org_id, period, member_id, billing_group_id, credits, event_count)
    values (${orgId}, ${period}, ${memberId}, ${billingGroupId}, ${credits}, 1)
    on conflict on constraint member_group_period_usage_key
    do update set credits = member_group_period_usage.credits + excluded.credits, event_count = member_group_period_usage.event_count + 1`);
  await db.execute(sql`
    insert into member_period_usage (org_id, member_id, period, credits) values (${orgId}, ${memberId}, ${period}, ${credits})
    on conflict (org_id, member_id, period) do update set credits = member_period_usage.credits + excluded.credits`);
  await db.execute(sql`
    insert into group_period_usage (org_id, period, billing_group_id, credits) values (${orgId}, ${period}, ${billingGroupId}, ${credits})
    on conflict on constraint group_period_usage_key do update set credits = group_period_usage.credits + excluded.credits`);
}

describe("create and edit (R11)", () => {
  it("creates a group with its audit entry", async () => {
    const org = await createOrg();
    const created = await tx((t) =>
      createBillingGroup(t, { orgId: org.id, actor }, { name: "Platform", description: "Infra" }),
    );
    const [row] = await testDb().select().from(billingGroups).where(eq(billingGroups.id, created.id));
    expect(row).toMatchObject({
      name: "Platform",
      description: "Infra",
      version: 1,
      periodLimit: null,
      deletedAt: null,
    });
    const [entry] = await testDb().select().from(auditLog).where(eq(auditLog.orgId, org.id));
    expect(entry).toMatchObject({
      action: "billing_group.created",
      targetId: created.id,
      targetLabel: "Platform",
      actorLabel: "test admin",
    });
  });

  it("refuses a case-insensitive duplicate among live groups, but allows reusing a deleted group's name", async () => {
    const org = await createOrg();
    const ctx = { orgId: org.id, actor };
    const first = await tx((t) => createBillingGroup(t, ctx, { name: "Design", description: "" }));
    await expect(tx((t) => createBillingGroup(t, ctx, { name: "dESIGN", description: "" }))).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { name: [expect.stringMatching(/already exists/)] },
    });
    // Another org may use the same name.
    const other = await createOrg();
    await tx((t) => createBillingGroup(t, { orgId: other.id, actor }, { name: "Design", description: "" }));
    await tx((t) => deleteBillingGroup(t, ctx, { id: first.id, confirmName: "Design" }));
    const reused = await tx((t) => createBillingGroup(t, ctx, { name: "design", description: "" }));
    expect(reused.name).toBe("design");
  });

  it("enforces the per-org cap with a clear message", async () => {
    const org = await createOrg();
    await testDb().update(organizations).set({ billingGroupCap: 2 }).where(eq(organizations.id, org.id));
    const ctx = { orgId: org.id, actor };
    const a = await tx((t) => createBillingGroup(t, ctx, { name: "A", description: "" }));
    await tx((t) => createBillingGroup(t, ctx, { name: "B", description: "" }));
    await expect(tx((t) => createBillingGroup(t, ctx, { name: "C", description: "" }))).rejects.toMatchObject({
      code: "limit_exceeded",
      message: expect.stringMatching(/maximum of 2 billing groups/),
    });
    // Deleted groups do not count against the cap.
    await tx((t) => deleteBillingGroup(t, ctx, { id: a.id, confirmName: "A" }));
    await tx((t) => createBillingGroup(t, ctx, { name: "C", description: "" }));
  });

  it("edits name and description, bumps the version and audits before/after", async () => {
    const org = await createOrg();
    const group = await makeGroup(org.id, { name: "Sales", description: "old" });
    const result = await tx((t) =>
      updateBillingGroup(
        t,
        { orgId: org.id, actor },
        { id: group.id, version: 1, name: "Sales EMEA", description: "new" },
      ),
    );
    expect(result.version).toBe(2);
    const [row] = await testDb().select().from(billingGroups).where(eq(billingGroups.id, group.id));
    expect(row).toMatchObject({ name: "Sales EMEA", description: "new", version: 2 });
    const [entry] = await testDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, "billing_group.updated")));
    expect(entry!.before).toMatchObject({ name: "Sales", description: "old" });
    expect(entry!.after).toMatchObject({ name: "Sales EMEA", description: "new" });
  });

  it("refuses a save that started from a stale version and overwrites nothing (R38)", async () => {
    const org = await createOrg();
    const group = await makeGroup(org.id, { name: "Ops" });
    const ctx = { orgId: org.id, actor };
    await tx((t) => updateBillingGroup(t, ctx, { id: group.id, version: 1, name: "Ops 1", description: "" }));
    await expect(
      tx((t) => updateBillingGroup(t, ctx, { id: group.id, version: 1, name: "Ops 2", description: "" })),
    ).rejects.toMatchObject({
      code: "stale_write",
      message: expect.stringMatching(/changed by someone else/),
    });
    await expect(
      tx((t) => setBillingGroupPeriodLimit(t, ctx, { id: group.id, version: 1, limit: 100n })),
    ).rejects.toMatchObject({ code: "stale_write" });
    const [row] = await testDb().select().from(billingGroups).where(eq(billingGroups.id, group.id));
    expect(row).toMatchObject({ name: "Ops 1", version: 2, periodLimit: null });
    expect(await auditActions(org.id)).toEqual(["billing_group.updated"]);
  });

  it("refuses renaming onto another live group's name, and editing a deleted group", async () => {
    const org = await createOrg();
    const ctx = { orgId: org.id, actor };
    await makeGroup(org.id, { name: "Taken" });
    const group = await makeGroup(org.id, { name: "Mine" });
    await expect(
      tx((t) => updateBillingGroup(t, ctx, { id: group.id, version: 1, name: "TAKEN", description: "" })),
    ).rejects.toMatchObject({ code: "conflict" });
    // Keeping its own name in another case is fine.
    await tx((t) => updateBillingGroup(t, ctx, { id: group.id, version: 1, name: "MINE", description: "" }));
    await tx((t) => deleteBillingGroup(t, ctx, { id: group.id, confirmName: "MINE" }));
    await expect(
      tx((t) => updateBillingGroup(t, ctx, { id: group.id, version: 3, name: "x", description: "" })),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("period limit (R19)", () => {
  it("sets and clears the limit with audit entries", async () => {
    const org = await createOrg();
    const group = await makeGroup(org.id);
    const ctx = { orgId: org.id, actor };
    await tx((t) => setBillingGroupPeriodLimit(t, ctx, { id: group.id, version: 1, limit: 1250n }));
    let [row] = await testDb().select().from(billingGroups).where(eq(billingGroups.id, group.id));
    expect(row!.periodLimit).toBe(1250n);
    await tx((t) => setBillingGroupPeriodLimit(t, ctx, { id: group.id, version: 2, limit: null }));
    [row] = await testDb().select().from(billingGroups).where(eq(billingGroups.id, group.id));
    expect(row!.periodLimit).toBeNull();
    const entries = await testDb()
      .select()
      .from(auditLog)
      .where(eq(auditLog.orgId, org.id))
      .orderBy(auditLog.createdAt);
    expect(entries.map((e) => [e.action, e.before, e.after])).toEqual([
      ["billing_group.period_limit_set", { periodLimit: null }, { periodLimit: "12.5" }],
      ["billing_group.period_limit_set", { periodLimit: "12.5" }, { periodLimit: null }],
    ]);
  });

  it("allows a limit below current usage; the list then shows usage above the limit", async () => {
    const org = await createOrg();
    const group = await makeGroup(org.id);
    const m = await createMember(org.id, { billingGroupId: group.id });
    await recordUsage(org.id, m.id, group.id, 5_000n);
    await tx((t) =>
      setBillingGroupPeriodLimit(t, { orgId: org.id, actor }, { id: group.id, version: 1, limit: 1_000n }),
    );
    const list = await getBillingGroupsForPeriod(testDb(), {
      orgId: org.id,
      period: PERIOD,
      includeDeletedWithUsage: false,
      sort: byName,
    });
    expect(list.groups[0]).toMatchObject({ periodUsage: 5_000n, periodLimit: 1_000n });
  });
});

describe("default personal limit (R42)", () => {
  it("is set on create and changed or cleared on edit, each audited with the value before and after", async () => {
    const org = await createOrg();
    const ctx = { orgId: org.id, actor };
    const created = await tx((t) =>
      createBillingGroup(t, ctx, { name: "Support", description: "", defaultPersonalLimit: 10_000n }),
    );
    const read = async () => (await testDb().select().from(billingGroups).where(eq(billingGroups.id, created.id)))[0]!;
    expect(await read()).toMatchObject({ defaultPersonalLimit: 10_000n, periodLimit: null });

    const edit = (version: number, defaultPersonalLimit?: bigint | null) =>
      tx((t) =>
        updateBillingGroup(t, ctx, { id: created.id, version, name: "Support", description: "", defaultPersonalLimit }),
      );
    await edit(1, 2_550n);
    expect((await read()).defaultPersonalLimit).toBe(2_550n);
    // A caller that does not send the field (undefined) leaves the default as it is.
    await edit(2, undefined);
    expect((await read()).defaultPersonalLimit).toBe(2_550n);
    await edit(3, null);
    expect(await read()).toMatchObject({ defaultPersonalLimit: null, version: 4 });

    const entries = await testDb()
      .select()
      .from(auditLog)
      .where(eq(auditLog.orgId, org.id))
      .orderBy(auditLog.createdAt);
    const value = (snapshot: unknown) =>
      (snapshot as { defaultPersonalLimit?: string | null } | null)?.defaultPersonalLimit;
    expect(entries.map((e) => [e.action, value(e.before), value(e.after)])).toEqual([
      ["billing_group.created", undefined, "100"],
      ["billing_group.updated", "100", "25.5"],
      ["billing_group.updated", "25.5", "25.5"],
      ["billing_group.updated", "25.5", null],
    ]);
  });

  it("refuses a default change that started from a stale version, changing nothing (R38)", async () => {
    const org = await createOrg();
    const ctx = { orgId: org.id, actor };
    const group = await makeGroup(org.id, { name: "Legal", defaultPersonalLimit: 500n });
    await tx((t) => setBillingGroupPeriodLimit(t, ctx, { id: group.id, version: 1, limit: 100_000n }));
    await expect(
      tx((t) =>
        updateBillingGroup(t, ctx, {
          id: group.id,
          version: 1,
          name: "Legal",
          description: "",
          defaultPersonalLimit: 900n,
        }),
      ),
    ).rejects.toMatchObject({ code: "stale_write" });
    const [row] = await testDb().select().from(billingGroups).where(eq(billingGroups.id, group.id));
    expect(row).toMatchObject({ defaultPersonalLimit: 500n, version: 2 });
    expect(await auditActions(org.id)).toEqual(["billing_group.period_limit_set"]);
  });

  it("is read by the list and the details, where each member shows the limit that applies and its source", async () => {
    const org = await createOrg();
    const group = await makeGroup(org.id, { name: "Field", defaultPersonalLimit: 7_500n });
    const inherits = await createMember(org.id, { name: "A inherits", personalLimit: null, billingGroupId: group.id });
    const own = await createMember(org.id, { name: "B own", personalLimit: 100n, billingGroupId: group.id });
    const list = await getBillingGroupsForPeriod(testDb(), {
      orgId: org.id,
      period: PERIOD,
      includeDeletedWithUsage: false,
      sort: byName,
    });
    expect(list.groups[0]).toMatchObject({ name: "Field", defaultPersonalLimit: 7_500n });
    const details = await getBillingGroupDetails(testDb(), {
      orgId: org.id,
      billingGroupId: group.id,
      period: PERIOD,
      includeMembers: true,
    });
    const dto = toDetailsDto(details!, { period: PERIOD, isHistorical: false });
    expect(dto.group.defaultPersonalLimit).toBe("75");
    expect(dto.members.map((m) => [m.id, m.personalLimit])).toEqual([
      [inherits.id, { limit: "75", source: "billing_group_default" }],
      [own.id, { limit: "1", source: "personal" }],
    ]);
  });
});

describe("delete (R13)", () => {
  it("returns members to Unassigned, soft-deletes, keeps name and usage history, audits", async () => {
    const org = await createOrg();
    const group = await makeGroup(org.id, { name: "Legacy" });
    const a = await createMember(org.id, { billingGroupId: group.id });
    const _b = await createMember(org.id, { billingGroupId: group.id });
    await recordUsage(org.id, a.id, group.id, 300n);
    const ctx = { orgId: org.id, actor };
    await expect(tx((t) => deleteBillingGroup(t, ctx, { id: group.id, confirmName: "legacy" }))).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { confirmName: [expect.any(String)] },
    });
    const result = await tx((t) => deleteBillingGroup(t, ctx, { id: group.id, confirmName: "Legacy" }));
    expect(result.membersReturnedToUnassigned).toBe(2);
    const rows = await testDb().select().from(members).where(eq(members.orgId, org.id));
    expect(rows.map((r) => r.billingGroupId)).toEqual([null, null]);
    const [row] = await testDb().select().from(billingGroups).where(eq(billingGroups.id, group.id));
    expect(row!.name).toBe("Legacy");
    expect(row!.deletedAt).not.toBeNull();
    // Usage stays attributed to the deleted group, in events and rollups.
    expect(await testDb().select().from(usageEvents).where(eq(usageEvents.billingGroupId, group.id))).toHaveLength(1);
    expect(
      await testDb().select().from(groupPeriodUsage).where(eq(groupPeriodUsage.billingGroupId, group.id)),
    ).toHaveLength(1);
    expect(await auditActions(org.id)).toEqual(["billing_group.deleted"]);
    // It leaves the current list but still appears in the period it has usage in.
    const current = await getBillingGroupsForPeriod(testDb(), {
      orgId: org.id,
      period: PERIOD,
      includeDeletedWithUsage: false,
      sort: byName,
    });
    expect(current.groups).toHaveLength(0);
    expect(current.unassigned.members).toBe(2);
    const historical = await getBillingGroupsForPeriod(testDb(), {
      orgId: org.id,
      period: PERIOD,
      includeDeletedWithUsage: true,
      sort: byName,
    });
    expect(historical.groups).toMatchObject([{ name: "Legacy", deleted: true, periodUsage: 300n }]);
    // A second delete finds nothing.
    await expect(tx((t) => deleteBillingGroup(t, ctx, { id: group.id, confirmName: "Legacy" }))).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("never leaves a member in a deleted group when delete and assign race (R38)", async () => {
    const org = await createOrg();
    const ctx = { orgId: org.id, actor };
    const people = await Promise.all(Array.from({ length: 5 }, () => createMember(org.id)));
    for (let round = 0; round < 15; round++) {
      const group = await makeGroup(org.id, { name: `Race ${round}` });
      const results = await Promise.allSettled([
        tx((t) =>
          assignMembersToBillingGroup(t, { ...ctx, memberIds: people.map((p) => p.id), billingGroupId: group.id }),
        ),
        tx((t) => deleteBillingGroup(t, ctx, { id: group.id, confirmName: `Race ${round}` })),
      ]);
      expect(results[1].status).toBe("fulfilled");
      if (results[0].status === "rejected") expect(results[0].reason).toMatchObject({ code: "not_found" });
      await testDb().update(members).set({ billingGroupId: null }).where(eq(members.orgId, org.id));
    }
    const stranded = await testDb().execute(sql`
      select m.id from members m join billing_groups g on g.org_id = m.org_id and g.id = m.billing_group_id
      where m.org_id = ${org.id} and g.deleted_at is not null`);
    expect(stranded).toHaveLength(0);
  });

  it("race check without resetting: whichever commits first, nobody ends in the deleted group", async () => {
    const org = await createOrg();
    const ctx = { orgId: org.id, actor };
    for (let round = 0; round < 10; round++) {
      const group = await makeGroup(org.id, { name: `Race ${round}` });
      const member = await createMember(org.id);
      await Promise.allSettled([
        tx((t) => deleteBillingGroup(t, ctx, { id: group.id, confirmName: `Race ${round}` })),
        tx((t) => assignMembersToBillingGroup(t, { ...ctx, memberIds: [member.id], billingGroupId: group.id })),
      ]);
      const [row] = await testDb().select().from(members).where(eq(members.id, member.id));
      expect(row!.billingGroupId).toBeNull();
    }
  });
});

describe("attribution and reads (R12, R14, R15, R21)", () => {
  it("keeps usage recorded before a reassignment with the old group", async () => {
    const org = await createOrg();
    const oldGroup = await makeGroup(org.id, { name: "Old" });
    const newGroup = await makeGroup(org.id, { name: "New" });
    const m = await createMember(org.id, { billingGroupId: oldGroup.id, personalLimit: 100_000n });
    await recordUsage(org.id, m.id, oldGroup.id, 700n);
    await tx((t) =>
      assignMembersToBillingGroup(t, { orgId: org.id, actor, memberIds: [m.id], billingGroupId: newGroup.id }),
    );
    await recordUsage(org.id, m.id, newGroup.id, 200n);

    const list = await getBillingGroupsForPeriod(testDb(), {
      orgId: org.id,
      period: PERIOD,
      includeDeletedWithUsage: false,
      sort: byName,
    });
    expect(list.groups.map((g) => [g.name, g.members, g.periodUsage])).toEqual([
      ["New", 1, 200n],
      ["Old", 0, 700n],
    ]);
    const oldDetails = await getBillingGroupDetails(testDb(), {
      orgId: org.id,
      billingGroupId: oldGroup.id,
      period: PERIOD,
      includeMembers: true,
    });
    expect(oldDetails!.members).toHaveLength(0);
    expect(oldDetails!.usageByMember).toMatchObject([{ memberId: m.id, credits: 700n, events: 1 }]);
    expect(oldDetails!.recentEvents).toHaveLength(1);
    const newDetails = await getBillingGroupDetails(testDb(), {
      orgId: org.id,
      billingGroupId: newGroup.id,
      period: PERIOD,
      includeMembers: true,
    });
    // Personal usage spans groups: the member's whole period.
    expect(newDetails!.members).toMatchObject([{ id: m.id, personalUsage: 900n, personalLimit: 100_000n }]);
    expect(newDetails!.periodUsage).toBe(200n);
    const rollup = await testDb()
      .select()
      .from(memberGroupPeriodUsage)
      .where(eq(memberGroupPeriodUsage.memberId, m.id));
    expect(rollup).toHaveLength(2);
    expect(await testDb().select().from(memberPeriodUsage).where(eq(memberPeriodUsage.memberId, m.id))).toMatchObject([
      { credits: 900n },
    ]);
  });

  it("lists Unassigned separately, sorts by usage and members, and never shows another org's data", async () => {
    const org = await createOrg();
    const small = await makeGroup(org.id, { name: "b small" });
    const big = await makeGroup(org.id, { name: "A big" });
    const m1 = await createMember(org.id, { billingGroupId: small.id });
    await createMember(org.id, { billingGroupId: small.id });
    await createMember(org.id, { billingGroupId: big.id });
    const loose = await createMember(org.id);
    await recordUsage(org.id, m1.id, small.id, 10n);
    await recordUsage(org.id, loose.id, null, 42n);
    const stranger = await createOrg();
    await makeGroup(stranger.id, { name: "Not mine" });

    const list = (key: "name" | "usage" | "members", direction: "asc" | "desc") =>
      getBillingGroupsForPeriod(testDb(), {
        orgId: org.id,
        period: PERIOD,
        includeDeletedWithUsage: false,
        sort: { key, direction },
      });
    expect((await list("name", "asc")).groups.map((g) => g.name)).toEqual(["A big", "b small"]);
    expect((await list("usage", "desc")).groups.map((g) => g.name)).toEqual(["b small", "A big"]);
    expect((await list("members", "asc")).groups.map((g) => g.name)).toEqual(["A big", "b small"]);
    expect((await list("name", "asc")).unassigned).toEqual({ members: 1, periodUsage: 42n });

    const unassigned = await searchMembersForAssignment(testDb(), { orgId: org.id, q: "", scope: "unassigned" });
    expect(unassigned.members.map((m) => m.id)).toEqual([loose.id]);
    const outsideSmall = await searchMembersForAssignment(testDb(), { orgId: org.id, q: "", scope: small.id });
    expect(outsideSmall.members).toHaveLength(2);
    const search = await searchMembersForAssignment(testDb(), {
      orgId: org.id,
      q: loose.email.slice(0, 12).toUpperCase(),
      scope: "unassigned",
    });
    expect(search.members.map((m) => m.id)).toEqual([loose.id]);
    expect(await searchMembersForAssignment(testDb(), { orgId: org.id, q: "%", scope: "unassigned" })).toMatchObject({
      members: [],
    });
  });

  it("details of a large group send the first members by name and the top usage by Credits, with full counts (issue 8)", async () => {
    const org = await createOrg();
    const group = await makeGroup(org.id);
    const total = DETAILS_LIST_LIMIT + 5;
    const people = [];
    for (let i = 0; i < total; i++) {
      people.push(
        await createMember(org.id, {
          name: `Person ${String(i).padStart(3, "0")}`,
          billingGroupId: group.id,
          personalLimit: 100_000n,
        }),
      );
    }
    // One deactivated member is not a current member (R15 lists current members).
    await createMember(org.id, { name: "Aaron Gone", billingGroupId: group.id, deactivatedAt: new Date() });
    // Everyone but the first two has usage; person i consumed i Credits.
    for (const [i, person] of people.entries())
      if (i >= 2) await recordUsage(org.id, person.id, group.id, BigInt(i * 100));

    const details = await getBillingGroupDetails(testDb(), {
      orgId: org.id,
      billingGroupId: group.id,
      period: PERIOD,
      includeMembers: true,
    });
    expect(details!.memberCount).toBe(total);
    expect(details!.members).toHaveLength(DETAILS_LIST_LIMIT);
    expect(details!.members.map((m) => m.name)).toEqual(people.slice(0, DETAILS_LIST_LIMIT).map((p) => p.name));
    expect(details!.usageMemberCount).toBe(total - 2);
    expect(details!.usageByMember).toHaveLength(DETAILS_LIST_LIMIT);
    expect(details!.usageByMember[0]).toMatchObject({
      memberId: people[total - 1]!.id,
      credits: BigInt((total - 1) * 100),
      events: 1,
    });
    expect(details!.usageByMember.map((u) => u.credits)).toEqual(
      [...details!.usageByMember.map((u) => u.credits)].sort((a, b) => (a > b ? -1 : 1)),
    );
    expect(details!.usageByMember.at(-1)!.credits).toBe(BigInt((total - DETAILS_LIST_LIMIT) * 100));

    const history = await getBillingGroupDetails(testDb(), {
      orgId: org.id,
      billingGroupId: group.id,
      period: PERIOD,
      includeMembers: false,
    });
    expect(history!.members).toEqual([]);
    expect(history!.memberCount).toBe(0);
    expect(history!.usageMemberCount).toBe(total - 2);
  });
});
