import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createOrg, testDb } from "@/tests/support/db";

// Issue 19: a past period's member count per billing group comes from the net changes a trigger
// keeps (migration 0021), not from reading every member's settings history. These tests hold the
// kept counts to the two truths they replace: the settings history (any period) and the live
// members (now) — through moves, deactivations, reactivations and many-row statements.
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const { withOrg } = await import("@/db");
const { setClock } = await import("@/lib/clock");
const { memberCountsAt, memberSettingsAt } = await import("@/lib/periods/settings-at");

const PERIODS = ["2026-08", "2026-09", "2026-10", "2026-11"] as const;
let orgId: string;
const group: Record<string, string> = {};
const member: Record<string, string> = {};

type Counts = Record<string, number>;
const label = (id: string | null) => Object.entries(group).find(([, g]) => g === id)?.[0] ?? "Unassigned";

/** The kept counts at the end of `period`, by group name, zero counts left out. */
async function keptCounts(period: string): Promise<Counts> {
  const rows = await withOrg(orgId, (tx) => tx.select().from(memberCountsAt(tx, { orgId, period })));
  return Object.fromEntries(rows.filter((r) => r.count !== 0).map((r) => [label(r.billingGroupId), r.count]));
}

/** The same counted the slow way: every member's latest settings row up to `period`. */
async function historyCounts(period: string): Promise<Counts> {
  const rows = await withOrg(orgId, async (tx) => {
    const settings = memberSettingsAt(tx, { orgId, period });
    return tx
      .select({ billingGroupId: settings.billingGroupId, count: sql<number>`count(*)::int` })
      .from(settings)
      .where(sql`not ${settings.deactivated}`)
      .groupBy(settings.billingGroupId);
  });
  return Object.fromEntries(rows.map((r) => [label(r.billingGroupId), r.count]));
}

async function liveCounts(): Promise<Counts> {
  const rows = await testDb().execute<{ billing_group_id: string | null; count: number }>(sql`
    select billing_group_id, count(*)::int as count from members
    where org_id = ${orgId} and deactivated_at is null group by billing_group_id`);
  return Object.fromEntries(rows.map((r) => [label(r.billing_group_id), r.count]));
}

const run = (statement: ReturnType<typeof sql>) => withOrg(orgId, (tx) => tx.execute(statement));
const ids = (...names: string[]) => sql.raw(`array[${names.map((n) => `'${member[n]}'`).join(",")}]::uuid[]`);

beforeAll(async () => {
  orgId = (await createOrg("Kept member counts", new Date("2026-07-01T00:00:00Z"))).id;
  setClock(new Date("2026-08-03T09:00:00Z"));
  for (const name of ["Design", "Sales", "Ops"]) {
    const [row] = await withOrg(orgId, (tx) =>
      tx.execute<{ id: string }>(
        sql`insert into billing_groups (org_id, name) values (${orgId}, ${name}) returning id`,
      ),
    );
    group[name] = row!.id;
  }
  // August: eight members in one statement (one already deactivated), across three groups and none.
  const rows = await withOrg(orgId, (tx) =>
    tx.execute<{ id: string; name: string }>(sql`
      insert into members (org_id, name, email, role, billing_group_id, deactivated_at)
      select ${orgId}, n, lower(n) || '@counts.test', 'member', g, d
      from (values ('Ann', ${group.Design}::uuid, null::timestamptz), ('Ben', ${group.Design}::uuid, null),
        ('Cat', ${group.Sales}::uuid, null), ('Dan', ${group.Sales}::uuid, null), ('Eve', null, null),
        ('Fay', ${group.Ops}::uuid, null), ('Gus', ${group.Ops}::uuid, now()), ('Hal', null, null)) v(n, g, d)
      returning id, name`),
  );
  for (const row of rows) member[row.name] = row.id;

  // September: Design and Sales swap two members in one statement; Eve joins Ops; Fay is deactivated.
  setClock(new Date("2026-09-10T09:00:00Z"));
  await run(sql`update members set billing_group_id = case billing_group_id
      when ${group.Design}::uuid then ${group.Sales}::uuid else ${group.Design}::uuid end
    where id = any(${ids("Ann", "Cat")})`);
  await run(sql`update members set billing_group_id = ${group.Ops}::uuid where id = ${member.Eve}::uuid`);
  await run(sql`update members set deactivated_at = now() where id = ${member.Fay}::uuid`);

  // October: nothing changes (the counts carry over).
  // November: Ann moves twice (only the last counts), Gus is reactivated into Sales, Fay back into
  // Ops, Hal is deactivated, everyone in Sales moves out to none in one statement but one, and a
  // no-op update touches every row.
  setClock(new Date("2026-11-04T09:00:00Z"));
  await run(sql`update members set billing_group_id = ${group.Ops}::uuid where id = ${member.Ann}::uuid`);
  await run(sql`update members set billing_group_id = null where id = ${member.Ann}::uuid`);
  await run(sql`update members set deactivated_at = null, billing_group_id = ${group.Sales}::uuid
    where id = ${member.Gus}::uuid`);
  await run(sql`update members set deactivated_at = null where id = ${member.Fay}::uuid`);
  await run(sql`update members set deactivated_at = now() where id = ${member.Hal}::uuid`);
  await run(sql`update members set billing_group_id = null
    where billing_group_id = ${group.Sales}::uuid and id <> ${member.Gus}::uuid`);
  await run(sql`update members set name = name where org_id = ${orgId}`);
});

afterAll(() => setClock(null));

describe("kept member counts per billing group and period (migration 0021)", () => {
  it("equal the settings history at the end of every period", async () => {
    for (const period of PERIODS) expect(await keptCounts(period), period).toEqual(await historyCounts(period));
  });

  it("show each period's own members", async () => {
    expect(await keptCounts("2026-07")).toEqual({});
    expect(await keptCounts("2026-08")).toEqual({ Design: 2, Sales: 2, Ops: 1, Unassigned: 2 });
    expect(await keptCounts("2026-09")).toEqual({ Design: 2, Sales: 2, Ops: 1, Unassigned: 1 });
    expect(await keptCounts("2026-10")).toEqual(await keptCounts("2026-09"));
    expect(await keptCounts("2026-11")).toEqual({ Design: 2, Sales: 1, Ops: 2, Unassigned: 2 });
  });

  it("summed over every period, equal the live members", async () => {
    const rows = await withOrg(orgId, (tx) => tx.select().from(memberCountsAt(tx, { orgId })));
    const now = Object.fromEntries(rows.filter((r) => r.count !== 0).map((r) => [label(r.billingGroupId), r.count]));
    expect(now).toEqual(await liveCounts());
    expect(now).toEqual(await keptCounts("2026-11"));
  });

  it("re-derived from the history (as seeds and the migration do), come out the same", async () => {
    const before = await Promise.all(PERIODS.map(keptCounts));
    await testDb().execute(sql`select ledgerline_derive_member_count_changes(${orgId})`);
    expect(await Promise.all(PERIODS.map(keptCounts))).toEqual(before);
  });

  it("are the runtime role's to read only for its own org", async () => {
    const other = await createOrg("Another org", new Date("2026-07-01T00:00:00Z"));
    const rows = await withOrg(other.id, (tx) => tx.select().from(memberCountsAt(tx, { orgId, period: "2026-11" })));
    expect(rows).toEqual([]);
  });
});
