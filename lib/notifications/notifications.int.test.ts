import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingGroupViewers, events, notificationReads } from "@/db/schema";
import type { EventType } from "@/db/schema/events";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { signInAs } from "@/tests/support/signed-in";

// R40's Notifications list end to end below the session cookie: the real guard, route handler,
// server actions, access layer and database (as the runtime role, under row-level security).

const route = await import("@/app/api/console/notifications/route");
const { recordUsage } = await import("@/lib/usage/service");
const { usageRequestHash } = await import("@/lib/usage/rules");
const { markNotificationReadAction, markAllNotificationsReadAction } = await import(
  "@/app/(console)/notifications/actions"
);

type Member = Awaited<ReturnType<typeof createMember>>;
type Group = { id: string; name: string };
let orgId: string, otherOrgId: string, meteredOrgId: string | undefined;
let admin: Member, billingAdmin: Member, viewer: Member, plain: Member, outsider: Member;
let sales: Group, ops: Group;
let pingId: string, oldId: string, foreignId: string;
/** The 24 events listed to admins after the members joined, newest first. */
const fresh: { id: string; groupId: string }[] = [];

const PERIOD = "2026-11";
const t0 = Date.now() + 60_000;

async function insertEvent(
  org: string,
  group: Group,
  type: EventType,
  createdAt: Date,
  threshold = 75,
  period = PERIOD,
) {
  const data = {
    billingGroup: { id: group.id, name: group.name },
    period,
    threshold,
    used: "75",
    limit: "100",
  };
  const [row] = await testDb()
    .insert(events)
    .values({ orgId: org, type, billingGroupId: group.id, period, threshold, data, createdAt })
    .returning({ id: events.id });
  return row!.id;
}

type Page = { unread: number; items: { id: string; read: boolean; [k: string]: unknown }[]; nextCursor: string | null };

async function get(query: Record<string, string> = {}) {
  const response = await route.GET(
    new Request(`http://localhost/api/console/notifications?${new URLSearchParams(query).toString()}`),
  );
  return { status: response.status, body: (await response.json()) as Page & { error?: string } };
}

/** Every page of the list, following nextCursor. */
async function all(member: Member) {
  signInAs(member);
  const items: Page["items"] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const { status, body } = await get(cursor ? { cursor } : {});
    expect(status).toBe(200);
    items.push(...body.items);
    cursor = body.nextCursor;
    pages += 1;
  } while (cursor && pages < 10);
  return { ids: items.map((i) => i.id), items, pages };
}

async function unread(member: Member) {
  signInAs(member);
  const { status, body } = await get({ unread: "1" });
  expect(status).toBe(200);
  return body.unread;
}

beforeAll(async () => {
  const org = await createOrg("Notifications", new Date("2026-01-01T00:00:00Z"));
  const other = await createOrg("Notifications elsewhere", new Date("2026-01-01T00:00:00Z"));
  orgId = org.id;
  otherOrgId = other.id;
  sales = await createBillingGroup(orgId, { name: "Sales", periodLimit: 10_000n });
  ops = await createBillingGroup(orgId, { name: "Ops", periodLimit: 10_000n });
  admin = await createMember(orgId, { role: "admin" });
  billingAdmin = await createMember(orgId, { role: "billing_admin" });
  viewer = await createMember(orgId, { role: "member" });
  plain = await createMember(orgId, { role: "member" });
  outsider = await createMember(otherOrgId, { role: "admin" });
  await testDb().insert(billingGroupViewers).values({ orgId, billingGroupId: sales.id, memberId: viewer.id });
  // Before anyone joined: listed, but not news (read).
  oldId = await insertEvent(orgId, ops, "threshold.crossed", new Date(t0 - 86_400_000 * 2), 50);
  for (let i = 0; i < 24; i += 1) {
    const group = i % 2 === 0 ? sales : ops;
    const type = (["threshold.crossed", "threshold.resolved", "forecast.exceeds"] as const)[i % 3]!;
    // One forecast per group and period (R40): each event in a period of its own.
    const id = await insertEvent(orgId, group, type, new Date(t0 + i * 1000), 75, `${2030 + i}-11`);
    fresh.unshift({ id, groupId: group.id });
  }
  // A test event of a webhook endpoint: never in the list.
  pingId = await insertEvent(orgId, sales, "ping", new Date(t0 + 100_000));
  foreignId = await insertEvent(
    otherOrgId,
    await createBillingGroup(otherOrgId, { name: "Elsewhere" }),
    "threshold.crossed",
    new Date(t0),
  );
});

afterAll(async () => {
  await testDb().execute(sql`delete from organizations where id in (${orgId}, ${otherOrgId})`);
  if (meteredOrgId) await testDb().execute(sql`delete from organizations where id = ${meteredOrgId}`);
});

describe("the Notifications list (R40)", () => {
  it("shows an admin every alert event of the org, newest first, 20 a page, without ping", async () => {
    signInAs(admin);
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(20);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(first.body.unread).toBe(24);
    const { ids, pages } = await all(admin);
    expect(pages).toBe(2);
    expect(ids).toEqual([...fresh.map((e) => e.id), oldId]);
    expect(ids).not.toContain(pingId);
    expect(ids).not.toContain(foreignId);
    const newest = first.body.items[0]!;
    expect(newest).toMatchObject({
      id: fresh[0]!.id,
      type: "forecast.exceeds",
      title: "Ops is on track to exceed its period limit",
      billingGroup: { id: ops.id, name: "Ops" },
      period: "2053-11",
      read: false,
      href: `/billing-groups?period=2053-11&group=${ops.id}`,
    });
    const { items } = await all(admin);
    expect(items.at(-1)).toMatchObject({ id: oldId, read: true, title: "Ops reached 50% of its period limit" });
  });

  it("shows a billing admin every alert event too", async () => {
    expect((await all(billingAdmin)).ids).toEqual([...fresh.map((e) => e.id), oldId]);
    expect(await unread(billingAdmin)).toBe(24);
  });

  it("shows a viewer only the groups granted now, and hides them once revoked", async () => {
    const salesIds = fresh.filter((e) => e.groupId === sales.id).map((e) => e.id);
    expect((await all(viewer)).ids).toEqual(salesIds);
    expect(await unread(viewer)).toBe(12);

    await testDb().insert(billingGroupViewers).values({ orgId, billingGroupId: ops.id, memberId: viewer.id });
    expect((await all(viewer)).ids).toEqual([...fresh.map((e) => e.id), oldId]);

    await testDb()
      .delete(billingGroupViewers)
      .where(and(eq(billingGroupViewers.memberId, viewer.id), eq(billingGroupViewers.billingGroupId, ops.id)));
    expect((await all(viewer)).ids).toEqual(salesIds);

    await testDb()
      .delete(billingGroupViewers)
      .where(and(eq(billingGroupViewers.memberId, viewer.id), eq(billingGroupViewers.billingGroupId, sales.id)));
    signInAs(viewer);
    expect((await get()).status).toBe(403);
    await testDb().insert(billingGroupViewers).values({ orgId, billingGroupId: sales.id, memberId: viewer.id });
  });

  it("refuses a plain member and a caller without a session", async () => {
    signInAs(plain);
    expect((await get()).status).toBe(403);
    expect((await get({ unread: "1" })).status).toBe(403);
    expect(await markNotificationReadAction({ eventId: fresh[0]!.id })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await markAllNotificationsReadAction({})).toMatchObject({ ok: false, code: "forbidden" });
    signInAs(null);
    expect((await get()).status).toBe(401);
    const reads = await testDb().select().from(notificationReads).where(eq(notificationReads.memberId, plain.id));
    expect(reads).toHaveLength(0);
  });

  it("keeps another org's events to that org", async () => {
    expect((await all(outsider)).ids).toEqual([foreignId]);
  });

  it("refuses a bad cursor with 400", async () => {
    signInAs(admin);
    expect((await get({ cursor: "yesterday" })).status).toBe(400);
  });
});

describe("mark read and mark all read (R40)", () => {
  it("marks one event read for the caller only, once however often", async () => {
    signInAs(admin);
    const target = fresh[3]!.id;
    expect(await markNotificationReadAction({ eventId: target })).toMatchObject({ ok: true, data: { unread: 23 } });
    expect(await markNotificationReadAction({ eventId: target })).toMatchObject({ ok: true, data: { unread: 23 } });
    expect(await unread(admin)).toBe(23);
    expect((await all(admin)).items.find((i) => i.id === target)).toMatchObject({ read: true });
    expect(await unread(billingAdmin)).toBe(24);
  });

  it("answers not found for an event the caller may not see, and writes nothing", async () => {
    signInAs(admin);
    for (const eventId of [pingId, foreignId, crypto.randomUUID()]) {
      expect(await markNotificationReadAction({ eventId }), eventId).toMatchObject({ ok: false, code: "not_found" });
    }
    signInAs(viewer);
    const opsEvent = fresh.find((e) => e.groupId === ops.id)!.id;
    expect(await markNotificationReadAction({ eventId: opsEvent })).toMatchObject({ ok: false, code: "not_found" });
    signInAs(outsider);
    expect(await markNotificationReadAction({ eventId: fresh[0]!.id })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    const written = await testDb()
      .select()
      .from(notificationReads)
      .where(
        sql`${notificationReads.eventId} in (${pingId}, ${foreignId}, ${opsEvent}) or ${notificationReads.memberId} = ${outsider.id}`,
      );
    expect(written).toEqual([]);
  });

  it("marks every visible unread event read in one go, and only those", async () => {
    signInAs(viewer);
    expect(await markAllNotificationsReadAction({})).toMatchObject({ ok: true, data: { marked: 12 } });
    expect(await unread(viewer)).toBe(0);
    // Granted another group later, its events are still unread: mark all read marked only what was visible.
    await testDb().insert(billingGroupViewers).values({ orgId, billingGroupId: ops.id, memberId: viewer.id });
    expect(await unread(viewer)).toBe(12);

    signInAs(admin);
    expect(await markAllNotificationsReadAction({})).toMatchObject({ ok: true, data: { marked: 23 } });
    expect(await unread(admin)).toBe(0);
    expect((await all(admin)).items.every((i) => i.read)).toBe(true);
    expect(await markAllNotificationsReadAction({})).toMatchObject({ ok: true, data: { marked: 0 } });
    // Not audited: read state is the member's own, not a change to the org.
    const [audited] = await testDb().execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where org_id = ${orgId}`,
    );
    expect(audited!.n).toBe(0);
    expect(await unread(billingAdmin)).toBe(24);
  });
});

describe("a real crossing (R40)", () => {
  it("lists the threshold.crossed that ledgerline_record_usage wrote when metered usage reached it", async () => {
    const org = await createOrg("Notifications metered", new Date("2026-01-01T00:00:00Z"));
    meteredOrgId = org.id;
    const group = await createBillingGroup(org.id, { name: "Metered", periodLimit: 1_000n, alertThresholds: [50] });
    const person = await createMember(org.id, { personalLimit: 100_000n, billingGroupId: group.id });
    const orgAdmin = await createMember(org.id, { role: "admin" });
    const outcome = await recordUsage({
      orgId: org.id,
      apiKeyId: null,
      member: person.email,
      credits: 600n,
      idempotencyKey: "cross-50",
      requestHash: usageRequestHash({ member: person.email, credits: 600n }),
    });
    expect(outcome.kind).toBe("accepted");
    const { items } = await all(orgAdmin);
    expect(items).toEqual([
      expect.objectContaining({
        type: "threshold.crossed",
        title: "Metered reached 50% of its period limit",
        detail: expect.stringContaining("6 of 10 Credits used"),
        billingGroup: { id: group.id, name: "Metered" },
        read: false,
      }),
    ]);
    expect(await unread(orgAdmin)).toBe(1);
  });
});
