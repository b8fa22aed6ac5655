// Integration-test access to the run's fresh database, plus small factories with fixed shapes.
import { randomUUID } from "node:crypto";
import { createDatabase, type Database } from "@/db/connection";
import { billingGroups, memberGroupPeriodUsage, members, organizations } from "@/db/schema";

let handle: ReturnType<typeof createDatabase> | undefined;

export function testDb(): Database {
  handle ??= createDatabase(process.env.DATABASE_URL!, { max: 20 });
  return handle.db;
}

export async function closeTestDb() {
  await handle?.client.end();
  handle = undefined;
}

export async function createOrg(name = `Org ${randomUUID().slice(0, 8)}`, createdAt?: Date) {
  const [org] = await testDb().insert(organizations).values({ name, createdAt }).returning();
  return org!;
}

export async function createMember(orgId: string, overrides: Partial<typeof members.$inferInsert> = {}) {
  const tag = randomUUID().slice(0, 8);
  const [member] = await testDb()
    .insert(members)
    .values({ orgId, name: `Member ${tag}`, email: `member-${tag}@example.test`, role: "member", ...overrides })
    .returning();
  return member!;
}

export async function createBillingGroup(orgId: string, overrides: Partial<typeof billingGroups.$inferInsert> = {}) {
  const [group] = await testDb()
    .insert(billingGroups)
    .values({ orgId, name: `Group ${randomUUID().slice(0, 8)}`, ...overrides })
    .returning();
  return group!;
}

/**
 * Usage straight into the member × group × period rollup that bills read (R25), one event each:
 * for tests of what is billed, not of how usage is recorded.
 */
export async function insertRollups(
  orgId: string,
  rows: { memberId: string; billingGroupId: string | null; credits: bigint; period: string }[],
) {
  await testDb()
    .insert(memberGroupPeriodUsage)
    .values(rows.map((row) => ({ orgId, ...row, eventCount: 1 })));
}
