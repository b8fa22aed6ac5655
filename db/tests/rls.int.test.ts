import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { APP_ROLE, createDatabase } from "@/db/connection";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";

// Row-level security (defence in depth for R1): the app's own role, with no org set or another
// org set, sees and writes nothing of an org.
const app = createDatabase(process.env.DATABASE_URL!, { role: APP_ROLE, max: 2 });
afterAll(() => app.client.end());

const TENANT_TABLES = [
  "organizations",
  "members",
  "billing_groups",
  "billing_group_viewers",
  "billing_group_recipients",
  "statement_deliveries",
  "statement_period_closes",
  "events",
  "notification_reads",
  "webhook_endpoints",
  "event_deliveries",
  "event_delivery_attempts",
  "groups",
  "group_memberships",
  "usage_events",
  "member_group_period_usage",
  "member_period_usage",
  "group_period_usage",
  "idempotency_records",
  "api_keys",
  "api_idempotency_records",
  "audit_log",
  "member_period_settings",
  "group_period_member_changes",
  "billing_group_period_settings",
  "group_daily_usage",
];

async function asOrg<T>(
  orgId: string | null,
  work: (tx: Parameters<Parameters<typeof app.db.transaction>[0]>[0]) => Promise<T>,
) {
  return app.db.transaction(async (tx) => {
    if (orgId) await tx.execute(sql`select set_config('app.org_id', ${orgId}, true)`);
    return work(tx);
  });
}

describe("row-level security", () => {
  it("runs the app as a role that is neither superuser nor owner and cannot bypass RLS", async () => {
    const [me] = await app.db.execute<{ role: string; superuser: boolean; bypass: boolean }>(sql`
      select current_user as role, r.rolsuper as superuser, r.rolbypassrls as bypass from pg_roles r where r.rolname = current_user`);
    expect(me).toEqual({ role: APP_ROLE, superuser: false, bypass: false });
    const owned = await app.db.execute(
      sql`select tablename from pg_tables where schemaname = 'public' and tableowner = current_user`,
    );
    expect(owned).toHaveLength(0);
  });

  it("has RLS enabled and forced, with a policy, on every org-owned table", async () => {
    const rows = await testDb().execute<{ relname: string; enabled: boolean; forced: boolean; policies: number }>(sql`
      select c.relname, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname <> '__drizzle_migrations'`);
    const orgOwned = rows.filter((r) => r.relname !== "sign_in_throttle");
    expect(orgOwned.map((r) => r.relname).sort()).toEqual([...TENANT_TABLES].sort());
    for (const table of orgOwned)
      expect(table, table.relname).toMatchObject({ enabled: true, forced: true, policies: 1 });
  });

  it("shows zero rows of any tenant table when no org is set", async () => {
    const org = await createOrg();
    await createMember(org.id);
    for (const table of TENANT_TABLES) {
      const rows = await asOrg(null, (tx) => tx.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`));
      expect(rows[0], table).toEqual({ n: 0 });
    }
  });

  it("shows only the org that is set, even to a query that forgets its org filter", async () => {
    const orgA = await createOrg();
    const orgB = await createOrg();
    await createMember(orgA.id, { name: "Only in A" });
    await createMember(orgB.id, { name: "Only in B" });
    const names = await asOrg(orgA.id, (tx) => tx.execute<{ name: string }>(sql`select name from members`));
    expect(names.map((n) => n.name)).toEqual(["Only in A"]);
  });

  it("refuses writes into another org, and updates or deletes of its rows do nothing", async () => {
    const orgA = await createOrg();
    const orgB = await createOrg();
    const groupOfB = await createBillingGroup(orgB.id, { name: "B's group" });
    await expect(
      asOrg(orgA.id, (tx) =>
        tx.execute(sql`insert into billing_groups (org_id, name) values (${orgB.id}, 'Smuggled')`),
      ),
    ).rejects.toThrow();
    const updated = await asOrg(orgA.id, (tx) =>
      tx.execute(sql`update billing_groups set name = 'Hijacked' where id = ${groupOfB.id} returning id`),
    );
    expect(updated).toHaveLength(0);
    const deleted = await asOrg(orgA.id, (tx) =>
      tx.execute(sql`delete from billing_groups where id = ${groupOfB.id} returning id`),
    );
    expect(deleted).toHaveLength(0);
    const [still] = await testDb().execute<{ name: string }>(
      sql`select name from billing_groups where id = ${groupOfB.id}`,
    );
    expect(still!.name).toBe("B's group");
  });

  it("keeps the audit log append-only: the app can neither update nor delete an entry", async () => {
    const org = await createOrg();
    await asOrg(org.id, (tx) =>
      tx.execute(
        sql`insert into audit_log (org_id, actor_label, action, target_type) values (${org.id}, 'test', 'test.entry', 'test')`,
      ),
    );
    await expect(
      asOrg(org.id, (tx) => tx.execute(sql`update audit_log set action = 'forged' where org_id = ${org.id}`)),
    ).rejects.toThrow();
    await expect(
      asOrg(org.id, (tx) => tx.execute(sql`delete from audit_log where org_id = ${org.id}`)),
    ).rejects.toThrow();
    // Not even the owner may rewrite an entry.
    await expect(
      testDb().execute(sql`update audit_log set action = 'forged' where org_id = ${org.id}`),
    ).rejects.toSatisfy((error) => /append-only/.test(String((error as { cause?: unknown }).cause)));
  });

  it("answers the pre-org lookups only through the narrow functions", async () => {
    const org = await createOrg();
    const member = await createMember(org.id, { email: `rls-${Date.now()}@example.test`, passwordHash: "x" });
    const direct = await asOrg(null, (tx) => tx.execute(sql`select id from members where email = ${member.email}`));
    expect(direct).toHaveLength(0);
    const viaFunction = await asOrg(null, (tx) =>
      tx.execute<{ id: string }>(sql`select id from ledgerline_sign_in_candidate(${member.email})`),
    );
    expect(viaFunction.map((r) => r.id)).toEqual([member.id]);
  });

  it("member search (issue 8) matches inside the org that is set only, and takes % and _ literally", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const tag = Math.random().toString(36).slice(2, 8);
    const mine = await createMember(org.id, { name: `Zed ${tag}_x` });
    const theirs = await createMember(other.id, { name: `Zed ${tag}_x` });
    await createMember(org.id, { name: `Zed ${tag}yx` });
    const pattern = `%${tag}\\_x%`;
    const match = (orgId: string | null, asked: string) =>
      asOrg(orgId, (tx) =>
        tx.execute<{ id: string }>(sql`select ledgerline_members_matching(${asked}::uuid, ${pattern}) as id`),
      );
    expect((await match(org.id, org.id)).map((r) => r.id)).toEqual([mine.id]);
    expect((await match(other.id, other.id)).map((r) => r.id)).toEqual([theirs.id]);
    // Asking for another org than the transaction's returns nothing.
    expect(await match(org.id, other.id)).toHaveLength(0);
    // The Members list's variant (issue 19) returns the same members, whole rows.
    const rows = (orgId: string, asked: string) =>
      asOrg(orgId, (tx) =>
        tx.execute<{ id: string; name: string }>(
          sql`select id, name from ledgerline_members_matching_rows(${asked}::uuid, ${pattern})`,
        ),
      );
    expect(await rows(org.id, org.id)).toEqual([{ id: mine.id, name: `Zed ${tag}_x` }]);
    expect(await rows(org.id, other.id)).toHaveLength(0);

    const { listMembers } = await import("@/lib/members/queries");
    const list = await asOrg(org.id, (tx) =>
      listMembers(tx, {
        orgId: org.id,
        period: "2026-11",
        search: `${tag}_x`,
        status: "active",
        sort: "name",
        dir: "asc",
        page: 1,
      }),
    );
    expect(list.rows.map((r) => r.id)).toEqual([mine.id]);
    expect(list.total).toBe(1);
  });
});
