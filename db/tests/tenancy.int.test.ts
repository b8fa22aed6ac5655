import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { members, usageEvents } from "@/db/schema";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";

function pgCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code;
}

describe("tenant foreign keys (R1)", () => {
  it("refuse a member pointing at another organization's billing group", async () => {
    const orgA = await createOrg();
    const orgB = await createOrg();
    const groupOfB = await createBillingGroup(orgB.id);
    const member = await createMember(orgA.id);
    const attempt = testDb()
      .update(members)
      .set({ billingGroupId: groupOfB.id })
      .where(and(eq(members.orgId, orgA.id), eq(members.id, member.id)));
    await expect(attempt).rejects.toSatisfy((e) => pgCode(e) === "23503");
    const [after] = await testDb().select().from(members).where(eq(members.id, member.id));
    expect(after!.billingGroupId).toBeNull();
  });

  it("refuse a usage event for another organization's member", async () => {
    const orgA = await createOrg();
    const orgB = await createOrg();
    const memberOfB = await createMember(orgB.id);
    const attempt = testDb()
      .insert(usageEvents)
      .values({ orgId: orgA.id, memberId: memberOfB.id, period: "2026-11", credits: 100n });
    await expect(attempt).rejects.toSatisfy((e) => pgCode(e) === "23503");
  });

  it("accept a same-org reference", async () => {
    const org = await createOrg();
    const group = await createBillingGroup(org.id);
    const member = await createMember(org.id, { billingGroupId: group.id });
    expect(member.billingGroupId).toBe(group.id);
  });

  it("keep emails unique per org case-insensitively, but allow the same email in two orgs", async () => {
    const orgA = await createOrg();
    const orgB = await createOrg();
    await createMember(orgA.id, { email: "Same.Person@example.test" });
    await expect(createMember(orgA.id, { email: "same.person@EXAMPLE.test" })).rejects.toSatisfy(
      (e) => pgCode(e) === "23505",
    );
    await expect(createMember(orgB.id, { email: "same.person@example.test" })).resolves.toBeTruthy();
  });

  it("reserve the Unassigned name and keep live billing group names unique (case-insensitive)", async () => {
    const org = await createOrg();
    await expect(createBillingGroup(org.id, { name: "unassigned" })).rejects.toSatisfy((e) => pgCode(e) === "23514");
    await createBillingGroup(org.id, { name: "Finance" });
    await expect(createBillingGroup(org.id, { name: "FINANCE" })).rejects.toSatisfy((e) => pgCode(e) === "23505");
    await testDb().execute(sql`update billing_groups set deleted_at = now() where org_id = ${org.id}`);
    await expect(createBillingGroup(org.id, { name: "finance" })).resolves.toBeTruthy();
  });
});
