import { drizzle } from "drizzle-orm/postgres-js";
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as schema from "@/db/schema";
import { billingGroupViewers } from "@/db/schema";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { periodOf } from "@/lib/periods/rules";

// Issue 13: the Billing Groups list filters by viewer grants (R3, R33), sorts and paginates in SQL
// for every role, and counts in SQL — the database returns only the rows one page shows.
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const { getBillingGroupsForPeriod } = await import("./queries");
const { getBillingGroupsScreen } = await import("./access");
const { memberPrincipal } = await import("@/lib/auth/principal");
const { getActiveMemberById } = await import("@/lib/members/queries");

// The current period: a past one would list only the groups that existed by its end (issue 18).
const PERIOD = periodOf(new Date());
const byName = { key: "name", direction: "asc" } as const;

type Captured = { query: string; params: unknown[] };

/** The same database, with every statement the code sends recorded, to re-run and count what it returned. */
function recordingDb() {
  const statements: Captured[] = [];
  const db = drizzle(testDb().$client, {
    schema,
    casing: "snake_case",
    logger: { logQuery: (query, params) => statements.push({ query, params }) },
  });
  return { db, statements };
}

/** Rows the database answered to the list's row query (the one reading billing groups, not counting them). */
async function rowsReturnedByListQuery(statements: Captured[]): Promise<number> {
  const rowQueries = statements.filter(
    (s) => /from "billing_groups"/.test(s.query) && !/count\(\*\)/.test(s.query.split(" from ")[0]!),
  );
  expect(rowQueries).toHaveLength(1);
  const { query, params } = rowQueries[0]!;
  const rows = await testDb().$client.unsafe(query, params as never[]);
  return rows.length;
}

let orgId: string;
let viewerId: string;
let adminId: string;
let granted: { id: string; name: string };

beforeAll(async () => {
  const org = await createOrg("List in SQL", new Date("2026-09-01T00:00:00Z"));
  orgId = org.id;
  const groups = [];
  for (let i = 1; i <= 30; i++) {
    groups.push(await createBillingGroup(orgId, { name: `Cost center ${String(i).padStart(2, "0")}` }));
  }
  granted = groups[16]!;
  viewerId = (await createMember(orgId, { role: "member", name: "Vera Viewer" })).id;
  adminId = (await createMember(orgId, { role: "admin" })).id;
  await testDb().insert(billingGroupViewers).values({ orgId, billingGroupId: granted.id, memberId: viewerId });
});

describe("the Billing Groups list in SQL (issue 13)", () => {
  it("reads only the one granted row of 30 for a viewer, and counts 1 in SQL", async () => {
    const { db, statements } = recordingDb();
    const list = await getBillingGroupsForPeriod(db, {
      orgId,
      period: PERIOD,
      includeDeletedWithUsage: false,
      sort: byName,
      viewerId,
      page: { limit: 25, offset: 0 },
    });
    expect(list.groups.map((g) => g.name)).toEqual([granted.name]);
    expect(list.total).toBe(1);
    expect(await rowsReturnedByListQuery(statements)).toBe(1);
    // No Unassigned figures are read for a viewer (R33).
    expect(statements.some((s) => /"billing_group_id" is null/.test(s.query))).toBe(false);
  });

  it("pages a billing admin's 30 groups in SQL: 25 rows, then 5, with the total of 30", async () => {
    const { db, statements } = recordingDb();
    const first = await getBillingGroupsForPeriod(db, {
      orgId,
      period: PERIOD,
      includeDeletedWithUsage: false,
      sort: byName,
      page: { limit: 25, offset: 0 },
    });
    expect(first.total).toBe(30);
    expect(first.groups).toHaveLength(25);
    expect(await rowsReturnedByListQuery(statements)).toBe(25);
    const second = await getBillingGroupsForPeriod(testDb(), {
      orgId,
      period: PERIOD,
      includeDeletedWithUsage: false,
      sort: { key: "name", direction: "desc" },
      page: { limit: 25, offset: 25 },
    });
    expect(second.groups.map((g) => g.name)).toEqual([
      "Cost center 05",
      "Cost center 04",
      "Cost center 03",
      "Cost center 02",
      "Cost center 01",
    ]);
  });

  it("serves the screen through the access layer: the viewer's page, the admin's last page for a page past the end", async () => {
    const viewer = await getActiveMemberById(testDb(), { orgId, memberId: viewerId });
    const asViewer = await getBillingGroupsScreen(memberPrincipal(viewer!), {
      period: PERIOD,
      includeDeletedWithUsage: false,
      sort: byName,
      page: "1",
    });
    expect(asViewer).toMatchObject({ viewer: true, total: 1, pickerGroups: [] });
    expect(asViewer.list.groups.map((g) => g.id)).toEqual([granted.id]);

    const admin = await getActiveMemberById(testDb(), { orgId, memberId: adminId });
    const asAdmin = await getBillingGroupsScreen(memberPrincipal(admin!), {
      period: PERIOD,
      includeDeletedWithUsage: false,
      sort: byName,
      page: "9",
    });
    expect(asAdmin).toMatchObject({ viewer: false, total: 30, page: 2, pageSize: 25 });
    expect(asAdmin.list.groups).toHaveLength(5);
    expect(asAdmin.pickerGroups).toHaveLength(30);
  });

  it("refuses an API key and a member without the role", async () => {
    const { apiKeyPrincipal } = await import("@/lib/auth/principal");
    await expect(
      getBillingGroupsScreen(
        apiKeyPrincipal({ orgId, apiKeyId: adminId, name: "Automation", scopes: ["usage", "read", "admin"] }),
        {
          period: PERIOD,
          includeDeletedWithUsage: false,
          sort: byName,
          page: 1,
        },
      ),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("searches name and description in SQL, with the total and pages of the matches only (R46)", async () => {
    const search = (text: string, page: { limit: number; offset: number } = { limit: 25, offset: 0 }) =>
      getBillingGroupsForPeriod(testDb(), {
        orgId,
        period: PERIOD,
        includeDeletedWithUsage: false,
        sort: byName,
        search: text,
        page,
      });
    const tagged = await createBillingGroup(orgId, { name: "Zeta lab", description: "Cost 100% covered_by R&D" });
    expect((await search("CENTER 1")).groups.map((g) => g.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Cost center ${i + 10}`),
    );
    expect((await search("center 1")).total).toBe(10);
    // Matched in the description too, and `%` / `_` are the characters themselves, not wildcards.
    expect((await search("100% covered_by")).groups.map((g) => g.id)).toEqual([tagged.id]);
    expect((await search("1%0")).total).toBe(0);
    expect((await search("c_st")).total).toBe(0);
    const secondPage = await search("cost", { limit: 25, offset: 25 });
    expect(secondPage.total).toBe(31);
    expect(secondPage.groups.map((g) => g.name)).toEqual([
      ...Array.from({ length: 5 }, (_, i) => `Cost center ${26 + i}`),
      "Zeta lab",
    ]);

    // Through the access layer, a page past the end of a narrower search is its last page.
    const admin = await getActiveMemberById(testDb(), { orgId, memberId: adminId });
    const screen = await getBillingGroupsScreen(memberPrincipal(admin!), {
      period: PERIOD,
      includeDeletedWithUsage: false,
      sort: byName,
      page: "2",
      search: "zeta",
    });
    expect(screen).toMatchObject({ total: 1, page: 1 });
    expect(screen.list.groups.map((g) => g.name)).toEqual(["Zeta lab"]);
  });
});
