import { getLiveBillingGroupOptions } from "@/lib/billing-groups/queries";
import { describe, expect, it } from "vitest";
import { groupMemberships, groups, memberPeriodUsage } from "@/db/schema";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { getMemberDetails, listMembers } from "./queries";

async function fixture() {
  const org = await createOrg();
  const eng = await createBillingGroup(org.id, { name: "Engineering" });
  const gone = await createBillingGroup(org.id, { name: "Gone", deletedAt: new Date() });
  const ada = await createMember(org.id, {
    name: "Ada Lovelace",
    email: "ada@example.test",
    role: "admin",
    billingGroupId: eng.id,
    personalLimit: 10_000n,
  });
  const bob = await createMember(org.id, { name: "Bob 100%_done", email: "bob@example.test", personalLimit: null });
  const cy = await createMember(org.id, {
    name: "Cy",
    email: "cy@other.test",
    personalLimit: 0n,
    billingGroupId: eng.id,
  });
  const dee = await createMember(org.id, {
    name: "Dee",
    email: "dee@example.test",
    personalLimit: 500n,
    deactivatedAt: new Date(),
  });
  await testDb()
    .insert(memberPeriodUsage)
    .values([
      { orgId: org.id, memberId: ada.id, period: "2026-11", credits: 1234n },
      { orgId: org.id, memberId: cy.id, period: "2026-10", credits: 99n },
    ]);
  const [g] = await testDb().insert(groups).values({ orgId: org.id, name: "Team" }).returning();
  await testDb().insert(groupMemberships).values({ orgId: org.id, groupId: g!.id, memberId: ada.id });
  return { org, eng, gone, ada, bob, cy, dee };
}

describe("listMembers", () => {
  it("shows billing group, limit, period usage and group count; active members only by default", async () => {
    const { org, eng } = await fixture();
    const { rows, total } = await listMembers(testDb(), { orgId: org.id, period: "2026-11" });
    expect(total).toBe(3);
    expect(rows.map((r) => [r.name, r.billingGroupName, r.personalLimit, r.periodUsage, r.groupCount])).toEqual([
      ["Ada Lovelace", "Engineering", 10_000n, 1234n, 1],
      ["Bob 100%_done", null, null, 0n, 0],
      ["Cy", "Engineering", 0n, 0n, 0],
    ]);
    expect(rows[0]!.billingGroupId).toBe(eng.id);
  });

  it("searches name or email (wildcards literal) and filters by billing group, role, limit and status", async () => {
    const { org, eng } = await fixture();
    const names = async (p: Partial<Parameters<typeof listMembers>[1]>) => {
      const list = await listMembers(testDb(), { orgId: org.id, period: "2026-11", ...p });
      // Each filter's total counts the very rows it lists (all on one page here), whether it is
      // counted from the members or, unfiltered or by billing group, from the kept counts (issue 19).
      expect(list.total, JSON.stringify(p)).toBe(list.rows.length);
      return list.rows.map((r) => r.name);
    };
    expect(await names({})).toEqual(["Ada Lovelace", "Bob 100%_done", "Cy"]);
    expect(await names({ search: "OTHER.test" })).toEqual(["Cy"]);
    expect(await names({ search: "100%_" })).toEqual(["Bob 100%_done"]);
    expect(await names({ search: "%" })).toEqual(["Bob 100%_done"]);
    expect(await names({ billingGroup: "unassigned" })).toEqual(["Bob 100%_done"]);
    expect(await names({ billingGroup: eng.id })).toEqual(["Ada Lovelace", "Cy"]);
    expect(await names({ role: "admin" })).toEqual(["Ada Lovelace"]);
    expect(await names({ limitNotConfigured: true })).toEqual(["Bob 100%_done", "Cy"]);
    expect(await names({ status: "deactivated" })).toEqual(["Dee"]);
    expect(await names({ status: "all" })).toHaveLength(4);
  });

  it("sorts and paginates by indexed offset", async () => {
    const { org } = await fixture();
    const page = (p: Partial<Parameters<typeof listMembers>[1]>) =>
      listMembers(testDb(), { orgId: org.id, period: "2026-10", ...p });
    expect((await page({ sort: "usage", dir: "desc" })).rows.map((r) => r.name)[0]).toBe("Cy");
    expect((await page({ sort: "email", dir: "desc" })).rows.map((r) => r.name)).toEqual([
      "Cy",
      "Bob 100%_done",
      "Ada Lovelace",
    ]);
    const second = await page({ pageSize: 2, page: 2 });
    expect(second).toMatchObject({ total: 3, page: 2 });
    expect(second.rows.map((r) => r.name)).toEqual(["Cy"]);
    // A page past the end clamps to the last one.
    expect((await page({ pageSize: 2, page: 99 })).page).toBe(2);
  });

  it("counts a search's matches in the page's own statement, and clamps a page past them", async () => {
    const { org } = await fixture();
    const page = (p: Partial<Parameters<typeof listMembers>[1]>) =>
      listMembers(testDb(), { orgId: org.id, period: "2026-11", search: "example", pageSize: 1, ...p });
    // Ada and Bob match "example" (Dee is deactivated, Cy is at other.test).
    const first = await page({});
    expect(first).toMatchObject({ total: 2, page: 1 });
    expect(first.rows.map((r) => r.name)).toEqual(["Ada Lovelace"]);
    const second = await page({ page: 2 });
    expect(second).toMatchObject({ total: 2, page: 2 });
    expect(second.rows.map((r) => r.name)).toEqual(["Bob 100%_done"]);
    const past = await page({ page: 7 });
    expect(past).toMatchObject({ total: 2, page: 2 });
    expect(past.rows.map((r) => r.name)).toEqual(["Bob 100%_done"]);
    expect(await page({ search: "nobody-matches" })).toMatchObject({ total: 0, page: 1, rows: [] });
    expect(await page({ search: "nobody-matches", page: 3 })).toMatchObject({ total: 0, page: 1, rows: [] });
  });
});

describe("the limit that applies (R42)", () => {
  it("lists the group default beside the own limit, and filters and sorts by the limit that applies", async () => {
    const { org, eng } = await fixture();
    const support = await createBillingGroup(org.id, { name: "Support", defaultPersonalLimit: 2_000n });
    const eve = await createMember(org.id, { name: "Eve", personalLimit: null, billingGroupId: support.id });
    await createMember(org.id, { name: "Fay", personalLimit: 0n, billingGroupId: support.id });
    const list = (p: Partial<Parameters<typeof listMembers>[1]>) =>
      listMembers(testDb(), { orgId: org.id, period: "2026-11", ...p });
    const { rows } = await list({ billingGroup: support.id });
    expect(rows.map((r) => [r.name, r.personalLimit, r.billingGroupDefaultPersonalLimit])).toEqual([
      ["Eve", null, 2_000n],
      ["Fay", 0n, 2_000n],
    ]);
    // Eve inherits 20 Credits, so she has a limit; Fay's own 0 beats the default; Engineering has none.
    expect((await list({ limitNotConfigured: true })).rows.map((r) => r.name)).toEqual(["Bob 100%_done", "Cy", "Fay"]);
    // Fay and Cy tie at 0 (then by id, which is random here).
    const byLimit = (await list({ sort: "limit", dir: "desc" })).rows.map((r) => r.name);
    expect([byLimit.slice(0, 2), byLimit.slice(2, 4).sort(), byLimit[4]]).toEqual([
      ["Ada Lovelace", "Eve"],
      ["Cy", "Fay"],
      "Bob 100%_done",
    ]);
    const details = await getMemberDetails(testDb(), { orgId: org.id, memberId: eve.id, period: "2026-11" });
    expect(details).toMatchObject({ personalLimit: null, billingGroupDefaultPersonalLimit: 2_000n });
    expect(eng.defaultPersonalLimit).toBeNull();
  });
});

describe("member details and picker", () => {
  it("returns usage vs limit, groups and usage by period; the picker lists live billing groups only", async () => {
    const { org, ada } = await fixture();
    const details = await getMemberDetails(testDb(), { orgId: org.id, memberId: ada.id, period: "2026-11" });
    expect(details).toMatchObject({
      name: "Ada Lovelace",
      billingGroupName: "Engineering",
      periodUsage: 1234n,
      personalLimit: 10_000n,
    });
    expect(details!.groups.map((g) => g.name)).toEqual(["Team"]);
    expect((await getLiveBillingGroupOptions(testDb(), { orgId: org.id })).map((g) => g.name)).toEqual(["Engineering"]);
    const other = await createOrg();
    expect(await getMemberDetails(testDb(), { orgId: other.id, memberId: ada.id, period: "2026-11" })).toBeNull();
  });
});
