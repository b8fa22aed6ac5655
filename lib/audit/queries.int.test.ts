import { describe, expect, it, vi } from "vitest";
import { withOrg } from "@/db";
import { auditLog, events } from "@/db/schema";
import { createMember, createOrg, testDb } from "@/tests/support/db";
import { getAuditFilterOptions, listAuditEntries, type AuditListParams } from "./queries";
import { decodeCursor } from "./rules";

vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

type Seed = Partial<typeof auditLog.$inferInsert> & { createdAt: Date };

async function fixture() {
  const org = await createOrg();
  const other = await createOrg();
  const ada = await createMember(org.id, { name: "Ada", role: "admin" });
  const bo = await createMember(org.id, { name: "Bo", role: "billing_admin" });
  const eve = await createMember(other.id, { name: "Eve", role: "admin" });
  const entry = (orgId: string, actor: { id: string; name: string }, seed: Seed) => ({
    orgId,
    actorId: actor.id,
    actorLabel: actor.name,
    action: "billing_group.created",
    targetType: "billing_group",
    targetId: "00000000-0000-4000-8000-000000000001",
    targetLabel: "Platform",
    ...seed,
  });
  const at = (iso: string) => new Date(iso);
  await testDb()
    .insert(auditLog)
    .values([
      entry(org.id, ada, { createdAt: at("2026-11-01T09:00:00Z"), before: null, after: { name: "Platform" } }),
      entry(org.id, bo, {
        createdAt: at("2026-11-02T23:59:59.999Z"),
        action: "billing_group.updated",
        targetLabel: "Platform 100%",
        before: { name: "Platform" },
        after: { name: "Platform 100%" },
      }),
      entry(org.id, ada, {
        createdAt: at("2026-11-03T00:00:00Z"),
        action: "member.role_changed",
        targetType: "member",
        targetId: bo.id,
        targetLabel: "Bo",
      }),
      entry(org.id, bo, {
        createdAt: at("2026-11-04T12:00:00Z"),
        action: "member.billing_group_assigned",
        targetType: "member",
        targetId: ada.id,
        targetLabel: "Ada",
      }),
      // Another org, same names and targets: never visible.
      entry(other.id, eve, { createdAt: at("2026-11-02T10:00:00Z"), targetLabel: "Platform secret" }),
      entry(other.id, eve, { createdAt: at("2026-11-05T10:00:00Z"), action: "api_key.created", targetType: "api_key" }),
    ]);
  const list = (p: Partial<AuditListParams> = {}) =>
    withOrg(org.id, (tx) => listAuditEntries(tx, { orgId: org.id, ...p }));
  const labels = async (p: Partial<AuditListParams> = {}) =>
    (await list(p)).rows.map((r) => `${r.action}:${r.targetLabel}`);
  return { org, other, ada, bo, eve, list, labels };
}

describe("listAuditEntries", () => {
  it("lists the org's entries newest first with actor, action, target and before/after", async () => {
    const { ada, list } = await fixture();
    const page = await list();
    expect(page.rows.map((r) => r.action)).toEqual([
      "member.billing_group_assigned",
      "member.role_changed",
      "billing_group.updated",
      "billing_group.created",
    ]);
    expect(page.rows[3]).toMatchObject({
      actorId: ada.id,
      actorLabel: "Ada",
      targetType: "billing_group",
      targetLabel: "Platform",
      before: null,
      after: { name: "Platform" },
    });
    expect(page.older).toBeNull();
    expect(page.newer).toBeNull();
  });

  it("filters by actor, action, target type, target id or label text, and UTC day range", async () => {
    const { ada, bo, labels } = await fixture();
    expect(await labels({ actorId: bo.id })).toEqual([
      "member.billing_group_assigned:Ada",
      "billing_group.updated:Platform 100%",
    ]);
    expect(await labels({ action: "billing_group.created" })).toEqual(["billing_group.created:Platform"]);
    expect(await labels({ targetType: "member" })).toEqual([
      "member.billing_group_assigned:Ada",
      "member.role_changed:Bo",
    ]);
    expect(await labels({ target: ada.id })).toEqual(["member.billing_group_assigned:Ada"]);
    // Label text is case-insensitive and `%` is literal.
    expect(await labels({ target: "PLATFORM" })).toEqual([
      "billing_group.updated:Platform 100%",
      "billing_group.created:Platform",
    ]);
    expect(await labels({ target: "100%" })).toEqual(["billing_group.updated:Platform 100%"]);
    // From 2 Nov to 2 Nov inclusive: [2 Nov 00:00, 3 Nov 00:00).
    expect(await labels({ from: new Date("2026-11-02T00:00:00Z"), to: new Date("2026-11-03T00:00:00Z") })).toEqual([
      "billing_group.updated:Platform 100%",
    ]);
    expect(await labels({ actorId: ada.id, targetType: "member", from: new Date("2026-11-03T00:00:00Z") })).toEqual([
      "member.role_changed:Bo",
    ]);
    expect(await labels({ action: "api_key.created" })).toEqual([]);
  });

  it("never shows another org's entries, even when asked for that org's values", async () => {
    const { other, eve, labels } = await fixture();
    expect(await labels({ actorId: eve.id })).toEqual([]);
    expect(await labels({ target: "secret" })).toEqual([]);
    // Row-level security too: the org set on the transaction hides other orgs even with their id.
    const { org } = await fixture();
    const leaked = await withOrg(org.id, (tx) => listAuditEntries(tx, { orgId: other.id }));
    expect(leaked.rows).toEqual([]);
  });

  it("pages with Older/Newer cursors at exact boundaries, including entries sharing one timestamp", async () => {
    const org = await createOrg();
    const ada = await createMember(org.id, { name: "Ada", role: "admin" });
    const same = new Date("2026-11-10T10:00:00.123456Z");
    // 7 entries: 5 written in one transaction (same created_at), 2 later ones.
    await testDb()
      .insert(auditLog)
      .values(
        Array.from({ length: 7 }, (_, i) => ({
          orgId: org.id,
          actorId: ada.id,
          actorLabel: "Ada",
          action: "group.created",
          targetType: "group",
          targetLabel: `G${i}`,
          createdAt: i < 5 ? same : new Date(`2026-11-1${i - 4}T10:00:00Z`),
        })),
      );
    const list = (p: Partial<AuditListParams>) =>
      withOrg(org.id, (tx) => listAuditEntries(tx, { orgId: org.id, pageSize: 3, ...p }));
    const all = (await list({ pageSize: 50 })).rows.map((r) => r.targetLabel);
    expect(all.slice(0, 2)).toEqual(["G6", "G5"]);
    expect(all).toHaveLength(7);

    const p1 = await list({});
    expect(p1.rows.map((r) => r.targetLabel)).toEqual(all.slice(0, 3));
    expect(p1.newer).toBeNull();
    expect(p1.older).not.toBeNull();
    const p2 = await list({ before: decodeCursor(p1.older!)! });
    expect(p2.rows.map((r) => r.targetLabel)).toEqual(all.slice(3, 6));
    const p3 = await list({ before: decodeCursor(p2.older!)! });
    expect(p3.rows.map((r) => r.targetLabel)).toEqual(all.slice(6));
    expect(p3.older).toBeNull();
    expect(p3.newer).not.toBeNull();
    // Back: Newer from the last page returns exactly the previous page, in newest-first order.
    const back = await list({ after: decodeCursor(p3.newer!)! });
    expect(back.rows.map((r) => r.targetLabel)).toEqual(all.slice(3, 6));
    expect(back.older).not.toBeNull();
    const first = await list({ after: decodeCursor(back.newer!)! });
    expect(first.rows.map((r) => r.targetLabel)).toEqual(all.slice(0, 3));
    expect(first.newer).toBeNull();
    // A page of exactly pageSize at the end has no Older link.
    const exact = await list({ pageSize: 7 });
    expect(exact.rows).toHaveLength(7);
    expect(exact.older).toBeNull();
  });
});

describe("listAuditEntries: names for entries that hold only ids (issue 18)", () => {
  it("looks up a locked account's member, a resent event's type and a deleted group's returned members", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const ada = await createMember(org.id, { name: "Ada", role: "admin" });
    const bo = await createMember(org.id, { name: "Bo Li" });
    const cy = await createMember(org.id, { name: "Cy Ng" });
    const di = await createMember(org.id, { name: "Di Ro" });
    const ed = await createMember(org.id, { name: "Ed Yu" });
    const eve = await createMember(other.id, { name: "Eve" });
    const [event] = await testDb()
      .insert(events)
      .values({ orgId: org.id, type: "threshold.crossed", data: {}, createdAt: new Date("2026-11-01T00:00:00Z") })
      .returning({ id: events.id });
    const [foreignEvent] = await testDb()
      .insert(events)
      .values({ orgId: other.id, type: "forecast.exceeds", data: {}, createdAt: new Date("2026-11-01T00:00:00Z") })
      .returning({ id: events.id });
    const base = { orgId: org.id, actorId: ada.id, actorLabel: "Ada" };
    const at = (minute: number) => new Date(`2026-11-02T10:${String(minute).padStart(2, "0")}:00Z`);
    await testDb()
      .insert(auditLog)
      .values([
        {
          ...base,
          createdAt: at(1),
          action: "member.sign_in_locked",
          targetType: "member",
          targetId: bo.id,
          targetLabel: "bo@example.test",
        },
        {
          ...base,
          createdAt: at(2),
          action: "webhook.resent",
          targetType: "webhook_endpoint",
          targetLabel: "https://h/a",
          after: { eventId: event!.id },
        },
        {
          ...base,
          createdAt: at(3),
          action: "billing_group.deleted",
          targetType: "billing_group",
          targetLabel: "Ops",
          before: { members: 5 },
          // In the order they were returned; one from another org and a malformed id name no one.
          after: { membersReturnedToUnassigned: [di.id, eve.id, "nope", bo.id, ed.id, cy.id] },
        },
        // Another org's event, and a malformed id: no name, no error.
        {
          ...base,
          createdAt: at(4),
          action: "webhook.resent",
          targetType: "webhook_endpoint",
          targetLabel: "https://h/b",
          after: { eventId: foreignEvent!.id },
        },
        {
          ...base,
          createdAt: at(5),
          action: "member.sign_in_locked",
          targetType: "member",
          targetId: "not-a-uuid",
          targetLabel: "x@example.test",
        },
        {
          ...base,
          createdAt: at(6),
          action: "member.role_changed",
          targetType: "member",
          targetId: bo.id,
          targetLabel: "Bo Li <bo@example.test>",
        },
      ]);
    const page = await withOrg(org.id, (tx) => listAuditEntries(tx, { orgId: org.id }));
    const none = { targetMember: null, eventType: null, returnedMembers: [] };
    expect(page.rows.map((r) => [r.action, r.names])).toEqual([
      // Any member target gets its current name; only some sentences need it.
      ["member.role_changed", { ...none, targetMember: "Bo Li" }],
      ["member.sign_in_locked", none],
      ["webhook.resent", none],
      ["billing_group.deleted", { ...none, returnedMembers: ["Di Ro", "Bo Li", "Ed Yu"] }],
      ["webhook.resent", { ...none, eventType: "threshold.crossed" }],
      ["member.sign_in_locked", { ...none, targetMember: "Bo Li" }],
    ]);
  });
});

describe("getAuditFilterOptions", () => {
  it("lists the org's actors who have entries, distinct actions and target types only", async () => {
    const { org, ada, bo } = await fixture();
    await createMember(org.id, { name: "Quiet" });
    const options = await withOrg(org.id, (tx) => getAuditFilterOptions(tx, { orgId: org.id }));
    expect(options.actors).toEqual([
      { id: ada.id, name: "Ada", kind: "member" },
      { id: bo.id, name: "Bo", kind: "member" },
    ]);
    expect(options.actions).toEqual([
      "billing_group.created",
      "billing_group.updated",
      "member.billing_group_assigned",
      "member.role_changed",
    ]);
    expect(options.targetTypes).toEqual(["billing_group", "member"]);
  });
});
