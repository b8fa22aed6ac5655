import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { seedDemoOrganization, DEMO_ACCOUNTS } from "@/db/seed/demo";
import { verifyPassword } from "@/lib/crypto/password";
import { testDb } from "@/tests/support/db";

type Row = Record<string, unknown>;

describe("demo seed (SPEC §11)", () => {
  it("creates the demo organization with accounts, groups, unassigned members and three periods of usage", async () => {
    const orgId = await seedDemoOrganization(testDb());
    const q = async (query: ReturnType<typeof sql>) => (await testDb().execute<Row>(query))[0]!;
    const people = await q(
      sql`select count(*)::int as n, count(*) filter (where billing_group_id is null)::int as unassigned from members where org_id = ${orgId}`,
    );
    expect(people.n).toBe(40);
    expect(people.unassigned).toBeGreaterThan(0);
    const groups = await q(
      sql`select count(*) filter (where deleted_at is null)::int as live from billing_groups where org_id = ${orgId}`,
    );
    expect(groups.live).toBeGreaterThanOrEqual(3);
    const plainGroups = await q(sql`select count(*)::int as n from groups where org_id = ${orgId}`);
    expect(plainGroups.n).toBe(2);
    const periods = await q(sql`select count(distinct period)::int as n from usage_events where org_id = ${orgId}`);
    expect(periods.n).toBe(3);
    // Rollups agree with the events they summarise.
    const mismatch = await q(sql`
      select count(*)::int as n from (
        select period, member_id, billing_group_id, sum(credits) as credits from usage_events where org_id = ${orgId}
        group by 1, 2, 3
      ) e full join (select * from member_group_period_usage where org_id = ${orgId}) r
        on r.period = e.period and r.member_id = e.member_id
        and r.billing_group_id is not distinct from e.billing_group_id
      where r.credits is distinct from e.credits`);
    expect(mismatch.n).toBe(0);

    const roles = await testDb().execute<{ email: string; role: string; password_hash: string }>(
      sql`select email, role, password_hash from members where org_id = ${orgId} and password_hash is not null order by email`,
    );
    expect(roles.map((r) => [r.email, r.role])).toEqual([
      [DEMO_ACCOUNTS.admin.email, "admin"],
      [DEMO_ACCOUNTS.billingAdmin.email, "billing_admin"],
      [DEMO_ACCOUNTS.member.email, "member"],
    ]);
    const admin = roles.find((r) => r.email === DEMO_ACCOUNTS.admin.email)!;
    expect(await verifyPassword(admin.password_hash, DEMO_ACCOUNTS.admin.password)).toBe(true);
    expect(await verifyPassword(admin.password_hash, "wrong-password")).toBe(false);
    // Delete it again so later test files start from an org-free database per org they create.
    await testDb().execute(sql`delete from organizations where id = ${orgId}`);
  });
});
