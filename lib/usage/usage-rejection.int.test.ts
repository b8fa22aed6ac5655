import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "@/tests/support/db";

// Moved from rules.test.ts (issue 13): "can this member use Credits now?" is decided by the
// database's rule, ledgerline_usage_rejection (migration 0008), for the smallest event (0.01).
async function entitlementReason(input: {
  personalLimit: bigint | null;
  personalUsed: bigint;
  groupLimit: bigint | null;
  groupUsed: bigint;
}): Promise<string | null> {
  const [row] = await testDb().execute<{ reason: string | null }>(
    sql`select ledgerline_usage_rejection(${input.personalLimit}::bigint, ${input.personalUsed}::bigint, ${input.groupLimit}::bigint, ${input.groupUsed}::bigint, 1) as reason`,
  );
  return row!.reason;
}

describe("usage rules", () => {
  it("explains which limit binds", async () => {
    const base = { personalLimit: 100n, personalUsed: 0n, groupLimit: null, groupUsed: 0n };
    expect(await entitlementReason(base)).toBeNull();
    expect(await entitlementReason({ ...base, personalLimit: null })).toBe("personal_limit_not_configured");
    expect(await entitlementReason({ ...base, personalLimit: 0n })).toBe("personal_limit_not_configured");
    expect(await entitlementReason({ ...base, personalUsed: 100n })).toBe("personal_limit_reached");
    expect(await entitlementReason({ ...base, groupLimit: 10n, groupUsed: 10n })).toBe("group_limit_reached");
    expect(await entitlementReason({ ...base, personalUsed: 100n, groupLimit: 10n, groupUsed: 10n })).toBe(
      "personal_limit_reached",
    );
  });
});
