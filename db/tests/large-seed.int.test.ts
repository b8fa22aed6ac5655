import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import {
  BASELINE_ORG,
  deleteLargeOrg,
  LARGE_ORG_ID,
  largeOrgState,
  seedLargeOrganization,
  verifyLargeOrgIntegrity,
  type LargeShape,
} from "@/db/seed/large";
import { createDatabase } from "@/db/connection";

// The issue-8 generator at a small scale: same code path as `npm run seed:large`, checked for
// determinism and for the invariants the product relies on (R9, R18–R21, R13).
const SHAPE: LargeShape = {
  members: 600,
  billingGroupSkew: 2,
  surnameSkew: 1,
  billingGroups: 12,
  deletedBillingGroups: 2,
  unassignedShare: 0.05,
  groups: 20,
  groupMemberships: 300,
  personalLimitShare: 0.95,
  historicalPeriods: 3,
  eventsCurrentPeriod: 4_000,
  eventsTotal: 10_000,
};
const NOW = new Date("2026-11-20T12:00:00Z");

// One connection: the generator's temp helpers live in its session.
const { db, client } = createDatabase(process.env.DATABASE_URL!, { max: 1 });
afterAll(async () => {
  await deleteLargeOrg(db);
  await deleteLargeOrg(db, BASELINE_ORG);
  await client.end();
});

async function fingerprint() {
  const [row] = await db.execute<{
    events: number;
    credits: string;
    digest: string;
    members: string;
    groups: string;
  }>(sql`
    select count(*)::int as events, sum(credits)::text as credits,
           md5(string_agg(id::text || member_id::text || coalesce(billing_group_id::text, '-') || credits || recorded_at, ',' order by id)) as digest,
           (select md5(string_agg(id::text || email || coalesce(billing_group_id::text, '-') || coalesce(personal_limit::text, '-'), ',' order by id)) from members where org_id = ${LARGE_ORG_ID}) as members,
           (select md5(string_agg(id::text || name || coalesce(period_limit::text, '-'), ',' order by id)) from billing_groups where org_id = ${LARGE_ORG_ID}) as groups
    from usage_events where org_id = ${LARGE_ORG_ID}`);
  return row!;
}

describe("npm run seed:large generator", () => {
  it("builds the requested shape, deterministically, with rollups equal to events and every limit respected", async () => {
    const lines: string[] = [];
    const summary = await seedLargeOrganization(db, { now: NOW, log: (line) => lines.push(line), shape: SHAPE });
    expect(await largeOrgState(db)).toBe("complete");
    expect(summary.events).toBe(SHAPE.eventsTotal);
    expect(summary.periods).toEqual(["2026-08", "2026-09", "2026-10", "2026-11"]);
    // Progress: one line per step with its row count and elapsed time.
    expect(lines.some((l) => /usage events 2026-11: 4,000 rows/.test(l))).toBe(true);
    expect(await verifyLargeOrgIntegrity(db, LARGE_ORG_ID)).toBe(0);

    const [shape] = await db.execute<Record<string, number>>(sql`
      select (select count(*) from members where org_id = ${LARGE_ORG_ID})::int as members,
             (select count(*) from billing_groups where org_id = ${LARGE_ORG_ID} and deleted_at is null)::int as live_groups,
             (select count(*) from billing_groups where org_id = ${LARGE_ORG_ID} and deleted_at is not null)::int as deleted_groups,
             (select count(*) from groups where org_id = ${LARGE_ORG_ID})::int as groups,
             (select count(*) from group_memberships where org_id = ${LARGE_ORG_ID})::int as memberships,
             (select count(*) from usage_events where org_id = ${LARGE_ORG_ID} and period = '2026-11')::int as current_events,
             (select count(*) from usage_events where org_id = ${LARGE_ORG_ID} and period = '2026-11' and recorded_at > ${NOW.toISOString()}::timestamptz)::int as future_events,
             (select count(*) from members where org_id = ${LARGE_ORG_ID} and billing_group_id is null)::int as unassigned,
             (select count(*) from members where org_id = ${LARGE_ORG_ID} and personal_limit is null)::int as without_limit`);
    expect(shape).toMatchObject({
      members: 600,
      live_groups: 12,
      deleted_groups: 2,
      groups: 20,
      memberships: 300,
      current_events: 4_000,
      future_events: 0,
    });
    expect(shape!.unassigned).toBeGreaterThan(5);
    expect(shape!.unassigned).toBeLessThan(80);
    expect(shape!.without_limit).toBeGreaterThan(5);
    expect(shape!.without_limit).toBeLessThan(80);

    const [invariants] = await db.execute<Record<string, number>>(sql`
      select
        -- R20: nobody above their personal limit, no group above its limit, in any period
        (select count(*) from member_period_usage u join members m on m.org_id = u.org_id and m.id = u.member_id
          where u.org_id = ${LARGE_ORG_ID} and u.credits > coalesce(m.personal_limit, 0))::int as over_personal,
        (select count(*) from group_period_usage g join billing_groups b on b.org_id = g.org_id and b.id = g.billing_group_id
          where g.org_id = ${LARGE_ORG_ID} and b.period_limit is not null and g.credits > b.period_limit)::int as over_group,
        (select count(*) from billing_groups where org_id = ${LARGE_ORG_ID} and deleted_at is null and period_limit is not null)::int as groups_with_limit,
        -- rollups are exactly the events
        (select count(*) from (select member_id, period, billing_group_id, sum(credits) s, count(*) c from usage_events where org_id = ${LARGE_ORG_ID} group by 1, 2, 3) e
          full join (select * from member_group_period_usage where org_id = ${LARGE_ORG_ID}) r
          on r.member_id = e.member_id and r.period = e.period and r.billing_group_id is not distinct from e.billing_group_id
          where r.credits is distinct from e.s or r.event_count is distinct from e.c)::int as rollup_mismatches,
        -- R13: nothing attributed to a deleted group after its deletion
        (select count(*) from usage_events e join billing_groups b on b.org_id = e.org_id and b.id = e.billing_group_id
          where e.org_id = ${LARGE_ORG_ID} and b.deleted_at is not null and e.recorded_at >= b.deleted_at)::int as after_delete,
        -- R21: some members have usage in two groups in one period (moved mid-period)
        (select count(*) from (select member_id, period from member_group_period_usage where org_id = ${LARGE_ORG_ID} group by 1, 2 having count(*) > 1) x)::int as split_members`);
    expect(invariants).toMatchObject({ over_personal: 0, over_group: 0, rollup_mismatches: 0, after_delete: 0 });
    expect(invariants!.groups_with_limit).toBe(SHAPE.billingGroups / 2);
    expect(invariants!.split_members).toBeGreaterThan(0);

    const first = await fingerprint();
    await deleteLargeOrg(db);
    expect(await largeOrgState(db)).toBe("absent");
    await seedLargeOrganization(db, { now: NOW, log: () => {}, shape: SHAPE });
    expect(await fingerprint()).toEqual(first);
  });

  it("seeds the page-equal baseline beside it: every measured screen gets a full page at 1/100 of the size", async () => {
    const summary = await seedLargeOrganization(db, { now: NOW, log: () => {}, org: BASELINE_ORG });
    expect(await largeOrgState(db, BASELINE_ORG)).toBe("complete");
    expect(summary.events).toBe(BASELINE_ORG.shape.eventsTotal);
    const orgId = BASELINE_ORG.id;
    expect(await verifyLargeOrgIntegrity(db, orgId)).toBe(0);
    // What bench/run.ts's pages draw: the same 300 billing groups (pages of 25), a full Members page
    // for the "nguy" search (50) and the largest group's filter (50), a full details drawer (100
    // members), a full Groups search page for "team 00" (25).
    const [rows] = await db.execute<Record<string, number>>(sql`
      select (select count(*) from billing_groups where org_id = ${orgId} and deleted_at is null)::int as live_groups,
             (select count(*) from members where org_id = ${orgId} and deactivated_at is null and name ilike '%nguy%')::int as search_matches,
             (select max(n) from (select count(*) n from members where org_id = ${orgId} and deactivated_at is null
                group by billing_group_id having billing_group_id is not null) x)::int as largest_group,
             (select count(*) from groups where org_id = ${orgId} and name ilike '%team 00%')::int as group_matches,
             (select count(*) from members where org_id = ${orgId})::int as members`);
    expect(rows).toMatchObject({ live_groups: 300, members: 500 });
    expect(rows!.search_matches).toBeGreaterThanOrEqual(50);
    expect(rows!.largest_group).toBeGreaterThanOrEqual(100);
    expect(rows!.group_matches).toBeGreaterThanOrEqual(25);
    // Its sign-in accounts are its own; the large org (if any) is untouched by it.
    const [admin] = await db.execute<{ org_id: string }>(
      sql`select org_id from members where email = ${BASELINE_ORG.accounts.admin.email}`,
    );
    expect(admin!.org_id).toBe(orgId);
  });
});
