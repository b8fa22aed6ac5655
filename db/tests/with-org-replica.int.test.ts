import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { createBillingGroup, createOrg } from "@/tests/support/db";

// Issue 20: `withOrg(…, { replica: true })` on a second pool. Here the "replica" is the test
// database itself under the runtime login (a real standby is exercised by `npm run test:cluster`):
// what matters is that reports get their own pool, a READ ONLY transaction and the same org scope.
vi.mock("@/lib/env", () => ({
  env: () => ({
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_APP_URL: process.env.DATABASE_APP_URL,
    DATABASE_REPLICA_APP_URL: process.env.DATABASE_APP_URL ?? process.env.DATABASE_URL,
  }),
}));

describe("withOrg on the replica", () => {
  it("reads through its own pool, not the primary's", async () => {
    const { getDb, getReplicaDb } = await import("@/db");
    expect(getReplicaDb()).not.toBe(getDb());
  });

  it("reads a caught-up replica (a replica URL naming a server that is no standby has nothing to replay)", async () => {
    const { getCaughtUpReplicaDb, getReplicaDb } = await import("@/db");
    expect(await getCaughtUpReplicaDb(0)).toBe(getReplicaDb());
  });

  it("scopes rows to the org, as on the primary (row-level security holds)", async () => {
    const { withOrg } = await import("@/db");
    const [mine, theirs] = [await createOrg(), await createOrg()];
    const group = await createBillingGroup(mine.id, { name: "Replica scoped" });
    await createBillingGroup(theirs.id, { name: "Someone else's" });
    const seen = await withOrg(
      mine.id,
      (tx) => tx.execute<{ id: string }>(sql`select id from billing_groups`), // no org filter: RLS alone
      { replica: true },
    );
    expect(seen.map((row) => row.id)).toEqual([group.id]);
  });

  it("refuses writes: a report that writes fails in every run, replica or not", async () => {
    const { withOrg } = await import("@/db");
    const org = await createOrg();
    await expect(
      withOrg(
        org.id,
        (tx) => tx.execute(sql`insert into billing_groups (org_id, name) values (${org.id}, 'Written by a report')`),
        { replica: true },
      ),
    ).rejects.toMatchObject({ code: "25006" });
  });
});
