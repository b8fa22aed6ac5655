// Issue 18 "My usage" on a real PostgreSQL: a member's own usage and applying limit (R18, R42) for
// the current period, their org and their own id only, behind the real guard (the session lookup
// alone is stubbed, tests/support/signed-in.ts).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingGroupViewers, groupPeriodUsage, memberPeriodUsage } from "@/db/schema";
import { apiKeyPrincipal, memberPrincipal } from "@/lib/auth/principal";
import { setClock } from "@/lib/clock";
import { ForbiddenError } from "@/lib/errors";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { signInAs } from "@/tests/support/signed-in";

const { withOrg } = await import("@/db");
const { requireScreen, getSignedInMember } = await import("@/lib/auth/guard");
const { getMyUsage } = await import("./access");
const { getOwnPeriodUsage } = await import("./queries");

const NOW = new Date("2026-11-20T12:00:00Z");
const PERIOD = "2026-11";

type Org = Awaited<ReturnType<typeof createOrg>>;
type Member = Awaited<ReturnType<typeof createMember>>;
let org: Org, otherOrg: Org;
let own: Member, inherits: Member, noLimit: Member, zero: Member, spent: Member, groupFull: Member, gone: Member;
let admin: Member, viewer: Member, outsider: Member;
const createdOrgIds: string[] = [];

beforeAll(async () => {
  setClock(NOW);
  org = await createOrg("My Usage Fixture");
  otherOrg = await createOrg("Elsewhere");
  createdOrgIds.push(org.id, otherOrg.id);
  const sales = await createBillingGroup(org.id, { name: "Sales", defaultPersonalLimit: 20_000n });
  const design = await createBillingGroup(org.id, {
    name: "Design",
    defaultPersonalLimit: 5_000n,
    periodLimit: 1_000n,
  });
  own = await createMember(org.id, { name: "Olga Own", personalLimit: 50_000n, billingGroupId: sales.id });
  inherits = await createMember(org.id, { name: "Ian Inherits", personalLimit: null, billingGroupId: sales.id });
  noLimit = await createMember(org.id, { name: "Nia None", personalLimit: null });
  zero = await createMember(org.id, { name: "Zed Zero", personalLimit: 0n, billingGroupId: sales.id });
  spent = await createMember(org.id, { name: "Sam Spent", personalLimit: 1_000n });
  groupFull = await createMember(org.id, { name: "Gia Group", personalLimit: 10_000n, billingGroupId: design.id });
  gone = await createMember(org.id, { name: "Gus Gone", personalLimit: 10_000n, deactivatedAt: new Date() });
  admin = await createMember(org.id, { role: "admin", personalLimit: 100n });
  viewer = await createMember(org.id, { name: "Vic Viewer" });
  await testDb().insert(billingGroupViewers).values({ orgId: org.id, billingGroupId: sales.id, memberId: viewer.id });
  outsider = await createMember(otherOrg.id, { name: "Otto Outsider", personalLimit: 7_700n });
  await testDb()
    .insert(memberPeriodUsage)
    .values([
      { orgId: org.id, memberId: own.id, period: PERIOD, credits: 12_550n },
      // An earlier period never counts towards this one (R22).
      { orgId: org.id, memberId: own.id, period: "2026-10", credits: 40_000n },
      { orgId: org.id, memberId: inherits.id, period: PERIOD, credits: 2_500n },
      { orgId: org.id, memberId: spent.id, period: PERIOD, credits: 1_000n },
      { orgId: org.id, memberId: groupFull.id, period: PERIOD, credits: 300n },
      { orgId: otherOrg.id, memberId: outsider.id, period: PERIOD, credits: 99n },
    ]);
  await testDb()
    .insert(groupPeriodUsage)
    .values([
      { orgId: org.id, billingGroupId: sales.id, period: PERIOD, credits: 15_050n },
      { orgId: org.id, billingGroupId: design.id, period: PERIOD, credits: 1_000n },
    ]);
});

afterAll(async () => {
  signInAs(null);
  setClock(null);
  for (const id of createdOrgIds) await testDb().execute(sql`delete from organizations where id = ${id}`);
});

const ownUsage = (orgId: string, member: { id: string }) =>
  withOrg(orgId, (tx) => getOwnPeriodUsage(tx, { orgId, memberId: member.id, period: PERIOD }));

describe("getOwnPeriodUsage (issue 18)", () => {
  it("gives a member's own usage, own limit and what is left, for this period only", async () => {
    expect(await ownUsage(org.id, own)).toEqual({
      period: PERIOD,
      billingGroupName: "Sales",
      used: 12_550n,
      limit: 50_000n,
      limitSource: "personal",
      remaining: 37_450n,
      canUse: true,
      reason: null,
    });
  });

  it("falls back to the billing group's Default Personal Limit without an own limit (R42)", async () => {
    expect(await ownUsage(org.id, inherits)).toMatchObject({
      billingGroupName: "Sales",
      used: 2_500n,
      limit: 20_000n,
      limitSource: "billing_group_default",
      remaining: 17_500n,
      canUse: true,
    });
  });

  it("has no limit for an Unassigned member without one: they cannot use Credits (R18)", async () => {
    expect(await ownUsage(org.id, noLimit)).toEqual({
      period: PERIOD,
      billingGroupName: null,
      used: 0n,
      limit: null,
      limitSource: null,
      remaining: null,
      canUse: false,
      reason: "personal_limit_not_configured",
    });
  });

  it("keeps an own limit of 0 over the group default: blocked, and says the limit is their own", async () => {
    expect(await ownUsage(org.id, zero)).toMatchObject({
      limit: 0n,
      limitSource: "personal",
      remaining: 0n,
      canUse: false,
      reason: "personal_limit_not_configured",
    });
  });

  it("says when the member's limit or their group's limit is what blocks them", async () => {
    expect(await ownUsage(org.id, spent)).toMatchObject({
      used: 1_000n,
      remaining: 0n,
      canUse: false,
      reason: "personal_limit_reached",
    });
    const blockedByGroup = await ownUsage(org.id, groupFull);
    expect(blockedByGroup).toMatchObject({ remaining: 9_700n, canUse: false, reason: "group_limit_reached" });
    // The group's own usage and limit are not the member's to see: the answer has no field for them.
    expect(Object.keys(blockedByGroup ?? {}).sort()).toEqual(
      ["billingGroupName", "canUse", "limit", "limitSource", "period", "reason", "remaining", "used"].sort(),
    );
  });

  it("never answers for another org's member or a deactivated one", async () => {
    // Scoped by the query itself (the owner's connection is not held back by row-level security)…
    expect(await getOwnPeriodUsage(testDb(), { orgId: org.id, memberId: outsider.id, period: PERIOD })).toBeNull();
    // …and by the runtime role's row-level security inside the org's scope.
    expect(await ownUsage(org.id, outsider)).toBeNull();
    expect(await ownUsage(org.id, gone)).toBeNull();
    expect(await ownUsage(otherOrg.id, outsider)).toMatchObject({ used: 99n, limit: 7_700n });
  });
});

describe("getMyUsage (issue 18)", () => {
  it("answers each signed-in member about themselves only, whatever their role", async () => {
    expect(await getMyUsage(memberPrincipal({ ...own, orgName: org.name, orgCreatedAt: org.createdAt }))).toMatchObject(
      {
        used: 12_550n,
        limitSource: "personal",
      },
    );
    expect(
      await getMyUsage(memberPrincipal({ ...admin, orgName: org.name, orgCreatedAt: org.createdAt })),
    ).toMatchObject({ used: 0n, limit: 100n, billingGroupName: null });
    expect(
      await getMyUsage(memberPrincipal({ ...outsider, orgName: otherOrg.name, orgCreatedAt: otherOrg.createdAt })),
    ).toMatchObject({ used: 99n, limit: 7_700n });
  });

  it("refuses an API key: it has no usage of its own", async () => {
    await expect(
      getMyUsage(
        apiKeyPrincipal({ orgId: org.id, apiKeyId: crypto.randomUUID(), name: "k", scopes: ["usage", "read"] }),
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("the guard for My usage (issue 18, R3, R4)", () => {
  const digest = (target: string) => ({ digest: expect.stringContaining(target) });
  // Outside a build with `authInterrupts`, Next's forbidden() throws an error naming itself rather
  // than the 403 it renders in the app (e2e/my-usage.spec.ts sees the 403).
  const FORBIDDEN = /forbidden\(\)/;

  it("opens My usage to a plain member, sends them there from /, and refuses every other screen", async () => {
    signInAs(own);
    await expect(requireScreen("my-usage")).resolves.toMatchObject({ id: own.id });
    await expect(requireScreen("overview")).rejects.toMatchObject(digest("/my-usage"));
    for (const screen of ["members", "groups", "billing-groups", "api-keys", "audit-log", "webhooks"] as const)
      await expect(requireScreen(screen), screen).rejects.toThrow(FORBIDDEN);
  });

  it("reads the role from the database: a member promoted or demoted is seen as such at once", async () => {
    signInAs(noLimit);
    await expect(requireScreen("members")).rejects.toThrow(FORBIDDEN);
    await testDb().execute(sql`update members set role = 'billing_admin' where id = ${noLimit.id}`);
    try {
      await expect(requireScreen("members")).resolves.toMatchObject({ id: noLimit.id, role: "billing_admin" });
    } finally {
      await testDb().execute(sql`update members set role = 'member' where id = ${noLimit.id}`);
    }
    expect((await getSignedInMember())?.role).toBe("member");
  });

  it("keeps a viewer's Billing Groups and gives admins and viewers My usage too", async () => {
    signInAs(viewer);
    await expect(requireScreen("my-usage")).resolves.toMatchObject({ id: viewer.id });
    await expect(requireScreen("billing-groups")).resolves.toMatchObject({ id: viewer.id });
    await expect(requireScreen("overview")).rejects.toMatchObject(digest("/billing-groups"));
    await expect(requireScreen("members")).rejects.toThrow(FORBIDDEN);
    signInAs(admin);
    await expect(requireScreen("my-usage")).resolves.toMatchObject({ id: admin.id });
  });
});
