import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createOrg, testDb } from "@/tests/support/db";

// Issue 18, period-true history: a past period shows each billing group's limit and members, and
// each member's group and limits, as they stood at that period's end — not today's values.
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const { withOrg } = await import("@/db");
const { setClock } = await import("@/lib/clock");
const { memberPrincipal } = await import("@/lib/auth/principal");
const { getActiveMemberById } = await import("@/lib/members/queries");
const { getBillingGroupsScreen, getBillingGroupDetails } = await import("@/lib/billing-groups/access");
const { getMembersScreen, getMemberProfile } = await import("@/lib/members/access");

const OCTOBER = "2026-10";
const NOVEMBER = "2026-11";
let orgId: string;
let adminId: string;
const ids: Record<string, string> = {};

async function as<T>(work: (principal: ReturnType<typeof memberPrincipal>) => Promise<T>) {
  const admin = await getActiveMemberById(testDb(), { orgId, memberId: adminId });
  return work(memberPrincipal(admin!));
}

async function insertMember(name: string, values: { group?: string; limit?: bigint | null; role?: string }) {
  const [row] = await withOrg(orgId, (tx) =>
    tx.execute<{ id: string }>(sql`
      insert into members (org_id, name, email, role, billing_group_id, personal_limit)
      values (${orgId}, ${name}, ${`${name.toLowerCase().replace(" ", ".")}@history.test`}, ${values.role ?? "member"},
        ${values.group ?? null}::uuid, ${values.limit ?? null}::bigint)
      returning id`),
  );
  ids[name] = row!.id;
}

beforeAll(async () => {
  orgId = (await createOrg("Period-true history", new Date("2026-09-01T00:00:00Z"))).id;
  // October: Design (limit 100.00) has Bo and Cy; Sales has Di; Ada is unassigned.
  setClock(new Date("2026-10-10T12:00:00Z"));
  for (const [name, limit] of [
    ["Design", 10000n],
    ["Sales", null],
  ] as const) {
    const [row] = await withOrg(orgId, (tx) =>
      tx.execute<{ id: string }>(sql`
        insert into billing_groups (org_id, name, period_limit) values (${orgId}, ${name}, ${limit}::bigint) returning id`),
    );
    ids[name] = row!.id;
  }
  await insertMember("Ada Admin", { role: "admin" });
  adminId = ids["Ada Admin"]!;
  await insertMember("Bo Li", { group: ids.Design, limit: 500n });
  await insertMember("Cy Ng", { group: ids.Design });
  await insertMember("Di Ro", { group: ids.Sales, limit: 700n });

  // November: Design's limit doubles (then changes again: the period keeps its last value) and gets
  // a default; Bo moves to Sales with a new limit; Ed joins Design; Di is deactivated.
  setClock(new Date("2026-11-05T12:00:00Z"));
  await withOrg(orgId, async (tx) => {
    await tx.execute(sql`update billing_groups set period_limit = 20000 where id = ${ids.Design}::uuid`);
    await tx.execute(
      sql`update billing_groups set period_limit = 25000, default_personal_limit = 300 where id = ${ids.Design}::uuid`,
    );
    await tx.execute(
      sql`update members set billing_group_id = ${ids.Sales}::uuid, personal_limit = 800 where id = ${ids["Bo Li"]}::uuid`,
    );
    await tx.execute(sql`update members set deactivated_at = now() where id = ${ids["Di Ro"]}::uuid`);
  });
  await insertMember("Ed Yu", { group: ids.Design });
  const [late] = await withOrg(orgId, (tx) =>
    tx.execute<{ id: string }>(sql`insert into billing_groups (org_id, name) values (${orgId}, 'Late') returning id`),
  );
  ids.Late = late!.id;
});

afterAll(() => setClock(null));

const screen = (period: string) =>
  as((p) =>
    getBillingGroupsScreen(p, {
      period,
      includeDeletedWithUsage: true,
      sort: { key: "name", direction: "asc" },
      page: 1,
    }),
  );

describe("a past period shows the settings of its end", () => {
  it("Billing Groups: October's limits and member counts, November's now", async () => {
    const october = await screen(OCTOBER);
    const row = (name: string, s: typeof october) => s.list.groups.find((g) => g.name === name)!;
    expect(row("Design", october)).toMatchObject({ periodLimit: "100", defaultPersonalLimit: null, members: 2 });
    expect(row("Sales", october)).toMatchObject({ periodLimit: null, members: 1 });
    expect(october.list.unassigned.members).toBe(1);
    // Late was created in November: not in October's list, nor its count.
    expect(october.list.groups.map((g) => g.name)).toEqual(["Design", "Sales"]);
    expect(october.total).toBe(2);

    const november = await screen(NOVEMBER);
    expect(november.list.groups.map((g) => g.name)).toEqual(["Design", "Late", "Sales"]);
    expect(row("Design", november)).toMatchObject({ periodLimit: "250", defaultPersonalLimit: "3", members: 2 });
    // Bo moved in; Di, deactivated, is no longer counted.
    expect(row("Sales", november)).toMatchObject({ members: 1 });
  });

  it("billing group details: the limit that applied at the period's end", async () => {
    const october = await as((p) => getBillingGroupDetails(p, { id: ids.Design!, period: OCTOBER }));
    expect(october.group).toMatchObject({ periodLimit: "100", defaultPersonalLimit: null });
    const november = await as((p) => getBillingGroupDetails(p, { id: ids.Design!, period: NOVEMBER }));
    expect(november.group).toMatchObject({ periodLimit: "250", defaultPersonalLimit: "3" });
  });

  it("Members: each member's group and limit at the period's end; members who joined later are not listed", async () => {
    const list = (period: string, extra = {}) => as((p) => getMembersScreen(p, { period, ...extra }));
    const october = (await list(OCTOBER)).list.rows;
    expect(october.map((r) => r.name)).toEqual(["Ada Admin", "Bo Li", "Cy Ng", "Di Ro"]);
    expect(october.find((r) => r.name === "Bo Li")).toMatchObject({ billingGroupName: "Design", personalLimit: 500n });
    expect(october.find((r) => r.name === "Cy Ng")).toMatchObject({ billingGroupDefaultPersonalLimit: null });
    expect(october.find((r) => r.name === "Di Ro")).toMatchObject({ deactivated: false });
    // Filters read the same values: Design had Bo and Cy at the end of October.
    const designInOctober = (await list(OCTOBER, { billingGroup: ids.Design })).list;
    expect(designInOctober.rows.map((r) => r.name)).toEqual(["Bo Li", "Cy Ng"]);
    expect(designInOctober.total).toBe(2);
    expect((await list(OCTOBER)).list.total).toBe(4);
    expect((await list(NOVEMBER, { billingGroup: ids.Sales })).list.total).toBe(1);
    // A search reads the matching rows (issue 19) and still takes their settings of then.
    const searched = (await list(OCTOBER, { search: "o l" })).list;
    expect(searched.rows).toMatchObject([{ name: "Bo Li", billingGroupName: "Design", personalLimit: 500n }]);
    expect(searched.total).toBe(1);

    const november = (await list(NOVEMBER)).list.rows;
    expect(november.map((r) => r.name)).toEqual(["Ada Admin", "Bo Li", "Cy Ng", "Ed Yu"]);
    expect(november.find((r) => r.name === "Bo Li")).toMatchObject({ billingGroupName: "Sales", personalLimit: 800n });
    expect(november.find((r) => r.name === "Cy Ng")).toMatchObject({ billingGroupDefaultPersonalLimit: 300n });
  });

  it("member details: the group, its limit and the member's own limit at the period's end", async () => {
    const october = await as((p) => getMemberProfile(p, { memberId: ids["Bo Li"]!, period: OCTOBER }));
    expect(october.member).toMatchObject({
      billingGroupName: "Design",
      billingGroupLimit: 10000n,
      personalLimit: 500n,
    });
    const november = await as((p) => getMemberProfile(p, { memberId: ids["Bo Li"]!, period: NOVEMBER }));
    expect(november.member).toMatchObject({ billingGroupName: "Sales", billingGroupLimit: null, personalLimit: 800n });
  });

  it("files each change under the application clock's period, one row per entity and period", async () => {
    const rows = await testDb().execute<{ period: string; period_limit: string | null }>(sql`
      select period, period_limit::text from billing_group_period_settings
      where org_id = ${orgId} and billing_group_id = ${ids.Design}::uuid order by period`);
    expect(rows).toEqual([
      { period: OCTOBER, period_limit: "10000" },
      { period: NOVEMBER, period_limit: "25000" },
    ]);
  });
});
