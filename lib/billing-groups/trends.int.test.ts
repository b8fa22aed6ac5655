import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKeyFor } from "@/tests/support/api";
import { createOrg, testDb } from "@/tests/support/db";

// R45: the usage charts' figures — recorded through the real ingestion path, so the daily rollup
// (migration 0017) is what they read — and who may read them.
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const { withOrg } = await import("@/db");
const { setClock } = await import("@/lib/clock");
const { recordUsage } = await import("@/lib/usage/service");
const { usageRequestHash } = await import("@/lib/usage/rules");
const { memberPrincipal } = await import("@/lib/auth/principal");
const { getActiveMemberById } = await import("@/lib/members/queries");
const { getBillingGroupTrends, getBillingGroupsOverview } = await import("./access");
const { ForbiddenError } = await import("@/lib/errors");

let orgId: string;
let apiKeyId: string;
const ids: Record<string, string> = {};

async function principalOf(name: string) {
  return memberPrincipal((await getActiveMemberById(testDb(), { orgId, memberId: ids[name]! }))!);
}

async function at(instant: string, member: string, credits: bigint) {
  setClock(new Date(instant));
  const outcome = await recordUsage({
    orgId,
    apiKeyId,
    member: ids[member]!,
    credits,
    idempotencyKey: randomUUID(),
    requestHash: usageRequestHash({ member: ids[member]!, credits }),
  });
  expect(outcome.kind).toBe("accepted");
}

async function insert(statement: ReturnType<typeof sql>) {
  const [row] = await withOrg(orgId, (tx) => tx.execute<{ id: string }>(statement));
  return row!.id;
}

beforeAll(async () => {
  orgId = (await createOrg("Trends", new Date("2026-08-01T00:00:00Z"))).id;
  apiKeyId = (await createApiKeyFor(orgId)).id;
  setClock(new Date("2026-09-02T09:00:00Z"));
  ids.Design = await insert(
    sql`insert into billing_groups (org_id, name, period_limit) values (${orgId}, 'Design', 100000) returning id`,
  );
  ids.Sales = await insert(
    sql`insert into billing_groups (org_id, name, period_limit) values (${orgId}, 'Sales', 10000) returning id`,
  );
  ids.Ops = await insert(sql`insert into billing_groups (org_id, name) values (${orgId}, 'Ops') returning id`);
  for (const [name, group, role] of [
    ["Ada", null, "admin"],
    ["Bo", ids.Design, "member"],
    ["Cy", ids.Sales, "member"],
    ["Vi", null, "member"],
  ] as const) {
    ids[name] = await insert(sql`
      insert into members (org_id, name, email, role, billing_group_id, personal_limit)
      values (${orgId}, ${name}, ${`${name.toLowerCase()}@trends.test`}, ${role}, ${group}::uuid, 100000000) returning id`);
  }
  await testDb().execute(
    sql`insert into billing_group_viewers (org_id, billing_group_id, member_id) values (${orgId}, ${ids.Sales}::uuid, ${ids.Vi}::uuid)`,
  );
  // September: Bo 50.00 on the 2nd. October: the limit becomes 300.00; Bo 40.00 on the 3rd and 20.00 on the 5th.
  await at("2026-09-02T10:00:00Z", "Bo", 5000n);
  setClock(new Date("2026-10-01T08:00:00Z"));
  await withOrg(orgId, (tx) =>
    tx.execute(sql`update billing_groups set period_limit = 30000 where id = ${ids.Design}::uuid`),
  );
  await at("2026-10-03T10:00:00Z", "Bo", 4000n);
  await at("2026-10-05T23:59:00Z", "Bo", 2000n);
  await at("2026-10-06T00:01:00Z", "Cy", 9000n);
  // "Now": 10 October, day 10 of 31.
  setClock(new Date("2026-10-10T12:00:00Z"));
});

afterAll(() => setClock(null));

describe("R45 usage trends", () => {
  it("a group's periods since it was created, each against the limit that applied then", async () => {
    const trends = await getBillingGroupTrends(await principalOf("Ada"), { id: ids.Design!, period: "2026-10" });
    expect(trends.periods.map((p) => [p.period, p.used.text, p.limit?.text ?? null])).toEqual([
      ["2026-09", "50", "1000"],
      ["2026-10", "60", "300"],
    ]);
  });

  it("the current period day by day, from the daily rollup, with the projected end", async () => {
    const trends = await getBillingGroupTrends(await principalOf("Ada"), { id: ids.Design!, period: "2026-10" });
    const daily = trends.daily!;
    expect(daily.daysInPeriod).toBe(31);
    expect(daily.days).toHaveLength(10);
    expect(daily.days.map((d) => d.cumulative.text)).toEqual([
      "0",
      "0",
      "40",
      "40",
      "60",
      "60",
      "60",
      "60",
      "60",
      "60",
    ]);
    // 60.00 in 9.5 of 31 days: 195.78 at this pace (R40's projection, in hundredths).
    expect(daily.projectedEnd?.text).toBe("195.78");
    expect(daily.limit?.text).toBe("300");
  });

  it("a past period has no day-by-day chart", async () => {
    const trends = await getBillingGroupTrends(await principalOf("Ada"), { id: ids.Design!, period: "2026-09" });
    expect(trends.daily).toBeNull();
    expect(trends.periods.at(-1)).toMatchObject({ period: "2026-09", used: { text: "50" } });
  });

  it("the overview: this period against the last at the same day, and the groups nearest their limit", async () => {
    const overview = (await getBillingGroupsOverview(await principalOf("Ada"), { period: "2026-10" }))!;
    expect(overview).toMatchObject({
      day: 10,
      thisPeriod: { text: "150" },
      previousPeriod: { text: "50" },
      changePercent: 200,
    });
    // Sales 90 of 100 (90 %), Design 60 of 300 (20 %); Ops has no limit.
    expect(overview.nearest.map((g) => [g.name, g.percent])).toEqual([
      ["Sales", 90],
      ["Design", 20],
    ]);
  });

  it("a past period's nearest groups are judged against the limits that applied then, as the groups stood", async () => {
    // Design's limit was 1,000 in September (300 since October); Late did not exist yet, and
    // Gone was deleted in October: September still had it, October's overview does not.
    setClock(new Date("2026-09-20T09:00:00Z"));
    ids.Gone = await insert(
      sql`insert into billing_groups (org_id, name, period_limit) values (${orgId}, 'Gone', 5000) returning id`,
    );
    setClock(new Date("2026-10-08T09:00:00Z"));
    await insert(
      sql`insert into billing_groups (org_id, name, period_limit) values (${orgId}, 'Late', 100) returning id`,
    );
    await withOrg(orgId, (tx) =>
      tx.execute(sql`update billing_groups set deleted_at = now() where id = ${ids.Gone}::uuid`),
    );
    setClock(new Date("2026-10-10T12:00:00Z"));
    const september = (await getBillingGroupsOverview(await principalOf("Ada"), { period: "2026-09" }))!;
    expect(september.nearest.map((g) => [g.name, g.limit.text, g.percent])).toEqual([
      ["Design", "1000", 5],
      ["Gone", "50", 0],
      ["Sales", "100", 0],
    ]);
    const october = (await getBillingGroupsOverview(await principalOf("Ada"), { period: "2026-10" }))!;
    expect(october.nearest.map((g) => g.name)).toEqual(["Sales", "Design", "Late"]);
  });

  it("a billing group viewer reads the trends of a granted group only, and no org overview", async () => {
    const viewer = await principalOf("Vi");
    await expect(getBillingGroupTrends(viewer, { id: ids.Sales!, period: "2026-10" })).resolves.toMatchObject({
      period: "2026-10",
    });
    await expect(getBillingGroupTrends(viewer, { id: ids.Design!, period: "2026-10" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(await getBillingGroupsOverview(viewer, { period: "2026-10" })).toBeNull();
  });

  it("the daily rollup adds up to the period rollup", async () => {
    const rows = await testDb().execute<{ period: string; daily: string; monthly: string }>(sql`
      select g.period, g.credits::text as monthly,
        (select sum(d.credits) from group_daily_usage d where d.org_id = g.org_id
          and d.billing_group_id is not distinct from g.billing_group_id
          and to_char(d.day, 'YYYY-MM') = g.period)::text as daily
      from group_period_usage g where g.org_id = ${orgId}`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.daily, row.period).toBe(row.monthly);
  });
});
