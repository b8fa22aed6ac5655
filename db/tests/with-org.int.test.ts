import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { createOrg, testDb } from "@/tests/support/db";

vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

describe("withOrg", () => {
  it("sets app.org_id for its transaction only", async () => {
    const { withOrg } = await import("@/db");
    const org = await createOrg();
    const inside = await withOrg(org.id, async (tx) => {
      const rows = await tx.execute<{ org: string }>(sql`select current_setting('app.org_id', true) as org`);
      return rows[0]!.org;
    });
    expect(inside).toBe(org.id);
    const outside = await testDb().execute<{ org: string | null }>(
      sql`select current_setting('app.org_id', true) as org`,
    );
    expect(outside[0]!.org ?? "").toBe("");
  });
});
