import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, billingGroupViewers, memberGroupPeriodUsage } from "@/db/schema";
import { setClock } from "@/lib/clock";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { signInAs } from "@/tests/support/signed-in";

// R3, R33: billing group viewers end to end below the session cookie — the real guard, access
// helper, server actions, route handlers and database. Only the session lookup is stubbed (signed-in.ts).

const { consoleReadsAsActions } = await import("@/tests/support/console-reads");
const actions = { ...(await import("@/app/(console)/billing-groups/actions")), ...consoleReadsAsActions };
const { getBillingAccess } = await import("@/lib/auth/billing-access");
const { requireScreen } = await import("@/lib/auth/guard");
const csvRoute = await import("@/app/api/export/billing-group-bills/route");
const previewRoute = await import("@/app/api/export/billing-group-bills/preview/route");
const scopesRoute = await import("@/app/api/export/billing-group-bills/scopes/route");

const NOV = new Date("2026-11-20T12:00:00Z");
const PERIOD = "2026-11";

type Org = Awaited<ReturnType<typeof createOrg>>;
type Member = Awaited<ReturnType<typeof createMember>>;
let org: Org;
let admin: Member, billingAdmin: Member, viewer: Member, plain: Member, outsider: Member;
let sales: { id: string }, engineering: { id: string }, old: { id: string };

const signIn = signInAs;
const get = (route: { GET: (r: Request) => Promise<Response> }, query: string) =>
  route.GET(new Request(`http://localhost/api/export/billing-group-bills${query}`));

async function audit(action: string) {
  return testDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, action)));
}

beforeAll(async () => {
  setClock(NOV);
  org = await createOrg("Viewer Fixture", new Date("2026-09-01T00:00:00Z"));
  admin = await createMember(org.id, { role: "admin", name: "Ada Admin" });
  billingAdmin = await createMember(org.id, { role: "billing_admin" });
  viewer = await createMember(org.id, { name: "Vic Viewer" });
  plain = await createMember(org.id);
  const other = await createOrg();
  outsider = await createMember(other.id);
  sales = await createBillingGroup(org.id, { name: "Sales" });
  engineering = await createBillingGroup(org.id, { name: "Engineering" });
  old = await createBillingGroup(org.id, { name: "Old" });
  await testDb().execute(sql`update billing_groups set deleted_at = now() where org_id = ${org.id} and id = ${old.id}`);
  await testDb()
    .insert(memberGroupPeriodUsage)
    .values([
      { orgId: org.id, period: PERIOD, memberId: viewer.id, billingGroupId: sales.id, credits: 1250n, eventCount: 1 },
      {
        orgId: org.id,
        period: PERIOD,
        memberId: plain.id,
        billingGroupId: engineering.id,
        credits: 700n,
        eventCount: 1,
      },
      { orgId: org.id, period: PERIOD, memberId: plain.id, billingGroupId: null, credits: 100n, eventCount: 1 },
    ]);
});
afterAll(() => {
  signInAs(null);
  setClock(null);
});

describe("billing group viewers (R3, R33)", () => {
  it("admins grant viewer once, idempotently, with an audit entry and the granter listed", async () => {
    signIn(admin);
    const first = await actions.addBillingGroupViewersAction({ billingGroupId: sales.id, memberIds: [viewer.id] });
    expect(first).toMatchObject({ ok: true, data: { added: 1 } });
    const again = await actions.addBillingGroupViewersAction({ billingGroupId: sales.id, memberIds: [viewer.id] });
    expect(again).toMatchObject({ ok: true, data: { added: 0 } });
    const entries = await audit("billing_group.viewer_added");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: admin.id,
      targetId: sales.id,
      targetLabel: "Sales",
      after: { viewer: { id: viewer.id } },
    });
    const list = await actions.billingGroupViewersAction({ billingGroupId: sales.id });
    expect(list).toMatchObject({
      ok: true,
      data: [{ memberId: viewer.id, name: "Vic Viewer", grantedBy: "Ada Admin" }],
    });
  });

  it("refuses a deleted group, another org's member, and non-admins, changing nothing", async () => {
    signIn(admin);
    expect(
      await actions.addBillingGroupViewersAction({ billingGroupId: old.id, memberIds: [viewer.id] }),
    ).toMatchObject({ ok: false, code: "not_found" });
    expect(
      await actions.addBillingGroupViewersAction({ billingGroupId: engineering.id, memberIds: [outsider.id] }),
    ).toMatchObject({ ok: false, code: "not_found" });
    for (const who of [billingAdmin, plain, viewer]) {
      signIn(who);
      expect(
        await actions.addBillingGroupViewersAction({ billingGroupId: engineering.id, memberIds: [who.id] }),
      ).toMatchObject({ ok: false, code: "forbidden" });
      expect(
        await actions.removeBillingGroupViewerAction({ billingGroupId: sales.id, memberId: viewer.id }),
      ).toMatchObject({ ok: false, code: "forbidden" });
      expect(await actions.billingGroupViewersAction({ billingGroupId: sales.id })).toMatchObject({
        ok: false,
        code: "forbidden",
      });
    }
    const rows = await testDb().select().from(billingGroupViewers).where(eq(billingGroupViewers.orgId, org.id));
    expect(rows.map((r) => [r.billingGroupId, r.memberId])).toEqual([[sales.id, viewer.id]]);
    expect(await audit("billing_group.viewer_added")).toHaveLength(1);
  });

  it("the access helper gives full access to billing roles and only granted groups to viewers", async () => {
    expect(await getBillingAccess(admin)).toEqual({ kind: "full" });
    expect(await getBillingAccess(billingAdmin)).toEqual({ kind: "full" });
    expect(await getBillingAccess(viewer)).toEqual({ kind: "viewer", billingGroupIds: [sales.id] });
    expect(await getBillingAccess(plain)).toEqual({ kind: "none" });
  });

  it("lets a viewer into Billing Groups only; a member without grants has My usage only", async () => {
    signIn(viewer);
    await expect(requireScreen("billing-groups")).resolves.toMatchObject({ id: viewer.id });
    await expect(requireScreen("overview")).rejects.toMatchObject({
      digest: expect.stringContaining("/billing-groups"),
    });
    await expect(requireScreen("members")).rejects.toThrow();
    signIn(plain);
    // Next's forbidden() throws a different error under vitest than in the app: the 403 itself is
    // checked end to end in e2e/my-usage.spec.ts.
    await expect(requireScreen("billing-groups")).rejects.toThrow(/forbidden\(\)/);
    await expect(requireScreen("overview")).rejects.toMatchObject({ digest: expect.stringContaining("/my-usage") });
  });

  it("the details action serves a viewer their group only", async () => {
    signIn(viewer);
    expect(await actions.billingGroupDetailsAction({ id: sales.id, period: PERIOD })).toMatchObject({
      ok: true,
      data: { group: { name: "Sales" } },
    });
    expect(await actions.billingGroupDetailsAction({ id: engineering.id, period: PERIOD })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    signIn(plain);
    expect(await actions.billingGroupDetailsAction({ id: sales.id, period: PERIOD })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    // Every other action stays closed to a viewer.
    signIn(viewer);
    expect(await actions.searchMembersAction({ q: "", scope: "all" })).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("exports: a viewer gets their group's preview, CSV and scope only; others, all and Unassigned are 403", async () => {
    signIn(viewer);
    const preview = await get(previewRoute, `/preview?period=${PERIOD}&billingGroup=${sales.id}`);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({
      rowCount: 1,
      totalCredits: "12.5",
      fileName: `billing-group-bills_${PERIOD}_sales.csv`,
    });
    const csv = await get(csvRoute, `?period=${PERIOD}&billingGroup=${sales.id}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toContain(`billing-group-bills_${PERIOD}_sales.csv`);
    const text = await csv.text();
    expect(text).toContain("Sales");
    expect(text).not.toContain("Engineering");
    const scopes = await get(scopesRoute, `/scopes?period=${PERIOD}`);
    expect(await scopes.json()).toMatchObject({ options: [{ value: sales.id, label: "Sales" }] });
    expect((await get(scopesRoute, `/scopes?period=${PERIOD}`).then((r) => r.json())).options).toHaveLength(1);
    for (const scope of [engineering.id, "all", "unassigned", "", old.id]) {
      expect(
        (await get(previewRoute, `/preview?period=${PERIOD}&billingGroup=${scope}`)).status,
        `preview ${scope}`,
      ).toBe(403);
      expect((await get(csvRoute, `?period=${PERIOD}&billingGroup=${scope}`)).status, `csv ${scope}`).toBe(403);
    }
    expect((await get(csvRoute, `?period=${PERIOD}`)).status).toBe(403);
    signIn(plain);
    expect((await get(scopesRoute, `/scopes?period=${PERIOD}`)).status).toBe(403);
    expect((await get(csvRoute, `?period=${PERIOD}&billingGroup=${sales.id}`)).status).toBe(403);
    signIn(billingAdmin);
    expect((await get(csvRoute, `?period=${PERIOD}&billingGroup=all`)).status).toBe(200);
  });

  it("revoking takes effect on the very next request, with an audit entry", async () => {
    signIn(admin);
    expect(
      await actions.removeBillingGroupViewerAction({ billingGroupId: sales.id, memberId: viewer.id }),
    ).toMatchObject({ ok: true, data: { removed: true } });
    expect(
      await actions.removeBillingGroupViewerAction({ billingGroupId: sales.id, memberId: viewer.id }),
    ).toMatchObject({ ok: true, data: { removed: false } });
    const entries = await audit("billing_group.viewer_removed");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: admin.id,
      targetId: sales.id,
      before: { viewer: { id: viewer.id, name: "Vic Viewer" } },
    });
    signIn(viewer);
    expect(await getBillingAccess(viewer)).toEqual({ kind: "none" });
    expect((await get(csvRoute, `?period=${PERIOD}&billingGroup=${sales.id}`)).status).toBe(403);
    expect(await actions.billingGroupDetailsAction({ id: sales.id, period: PERIOD })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
  });
});
