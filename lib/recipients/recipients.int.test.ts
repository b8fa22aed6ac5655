import { and, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auditLog, billingGroupRecipients, billingGroupViewers } from "@/db/schema";
import { setClock } from "@/lib/clock";
import { MAX_RECIPIENTS_PER_BILLING_GROUP } from "@/lib/limits";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { signInAs } from "@/tests/support/signed-in";

// R39 recipients end to end below the session cookie: the real guard, server actions, route
// handler, access layer, service and database. Only the session lookup is stubbed (signed-in.ts).

// Two hooks into the service's count: one takes its duplicate check away (the unique key must
// still refuse), one widens the race between counting and inserting (the lock must still hold).
const countHooks = { skipDuplicateCheck: false, pauseMs: 0 };
vi.mock("@/lib/recipients/queries", async (original) => {
  const real = await original<typeof import("@/lib/recipients/queries")>();
  return {
    ...real,
    recipientCount: async (...args: Parameters<typeof real.recipientCount>) => {
      const counted = await real.recipientCount(...args);
      if (countHooks.pauseMs) await new Promise((resolve) => setTimeout(resolve, countHooks.pauseMs));
      return countHooks.skipDuplicateCheck ? { ...counted, taken: false } : counted;
    },
  };
});

const { consoleReadsAsActions } = await import("@/tests/support/console-reads");
const { addRecipientAction, removeRecipientAction, sendStatementAction } = await import(
  "@/app/(console)/billing-groups/actions"
);
const listRecipients = consoleReadsAsActions.billingGroupRecipientsAction;

const NOV = new Date("2026-11-20T12:00:00Z");
const PERIOD = "2026-11";

type Member = Awaited<ReturnType<typeof createMember>>;
let orgId: string;
let admin: Member, billingAdmin: Member, viewer: Member, plain: Member, outsiderAdmin: Member;
let sales: { id: string }, engineering: { id: string }, old: { id: string }, foreign: { id: string };

const add = (billingGroup: string, email: string, period = PERIOD) =>
  addRecipientAction({ period, billingGroup, email });
const remove = (billingGroup: string, recipientId: string, period = PERIOD) =>
  removeRecipientAction({ period, billingGroup, recipientId });

/** Every recipient of the org and every recipient audit entry: what a refusal must leave as it was. */
async function snapshot() {
  const recipients = await testDb()
    .select()
    .from(billingGroupRecipients)
    .where(eq(billingGroupRecipients.orgId, orgId))
    .orderBy(billingGroupRecipients.id);
  const entries = await audit();
  return { recipients, audit: entries.map((e) => e.id).sort() };
}

async function audit(action?: string) {
  return testDb()
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.orgId, orgId),
        action ? eq(auditLog.action, action) : like(auditLog.action, "billing_group.recipient_%"),
      ),
    );
}

async function recipientsIn(billingGroup: string) {
  const result = await listRecipients({ billingGroup });
  if (!result.ok) throw new Error(result.error);
  return (result.data as { recipients: { id: string; email: string }[] }).recipients;
}

async function emailsOf(billingGroup: string) {
  return (await recipientsIn(billingGroup)).map((r) => r.email);
}

// A fresh organization for every test, so counts and audit entries are the test's own.
beforeEach(async () => {
  const org = await createOrg("Recipients Fixture", new Date("2026-09-01T00:00:00Z"));
  orgId = org.id;
  admin = await createMember(orgId, { role: "admin", name: "Ada Admin" });
  billingAdmin = await createMember(orgId, { role: "billing_admin", name: "Bea Billing" });
  viewer = await createMember(orgId, { name: "Vic Viewer" });
  plain = await createMember(orgId);
  sales = await createBillingGroup(orgId, { name: "Sales" });
  engineering = await createBillingGroup(orgId, { name: "Engineering" });
  old = await createBillingGroup(orgId, { name: "Old" });
  await testDb().insert(billingGroupViewers).values({ orgId, billingGroupId: sales.id, memberId: viewer.id });
  signInAs(admin);
  countHooks.skipDuplicateCheck = false;
  countHooks.pauseMs = 0;
});
beforeAll(async () => {
  setClock(NOV);
  const other = await createOrg("Recipients Other", new Date("2026-09-01T00:00:00Z"));
  outsiderAdmin = await createMember(other.id, { role: "admin" });
  foreign = await createBillingGroup(other.id, { name: "Foreign" });
});
afterAll(() => {
  signInAs(null);
  setClock(null);
});

describe("recipients of a billing group (R39)", () => {
  it("admins and billing admins add, list and remove them, each change audited in its transaction", async () => {
    expect(await add(sales.id, "  Finance@Example.com ")).toMatchObject({
      ok: true,
      data: { email: "Finance@Example.com", billingGroupName: "Sales", count: 1 },
    });
    signInAs(billingAdmin);
    expect(await add(sales.id, "ap@example.com")).toMatchObject({ ok: true, data: { count: 2 } });
    const listed = await listRecipients({ billingGroup: sales.id });
    expect(listed).toMatchObject({
      ok: true,
      data: {
        billingGroup: { id: sales.id, name: "Sales", deleted: false },
        recipients: [
          { email: "ap@example.com", createdBy: "Bea Billing" },
          { email: "Finance@Example.com", createdBy: "Ada Admin" },
        ],
      },
    });
    // Another group's list is its own.
    expect(await emailsOf(engineering.id)).toEqual([]);

    const added = await audit("billing_group.recipient_added");
    expect(added).toHaveLength(2);
    expect(added.find((e) => e.actorId === admin.id)).toMatchObject({
      targetType: "billing_group",
      targetId: sales.id,
      targetLabel: "Sales",
      after: { recipient: { email: "Finance@Example.com" } },
    });

    const finance = (await recipientsIn(sales.id))[1]!;
    expect(await remove(sales.id, finance.id)).toMatchObject({ ok: true, data: { email: "Finance@Example.com" } });
    expect(await emailsOf(sales.id)).toEqual(["ap@example.com"]);
    const removed = await audit("billing_group.recipient_removed");
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({
      actorId: billingAdmin.id,
      targetId: sales.id,
      before: { recipient: { id: finance.id, email: "Finance@Example.com" } },
      after: null,
    });
    // Removing it again: a clear message, nothing changes.
    const before = await snapshot();
    expect(await remove(sales.id, finance.id)).toMatchObject({
      ok: false,
      code: "not_found",
      error: "That recipient no longer exists. Reload to see the current state.",
    });
    expect(await snapshot()).toEqual(before);
  });

  it("Unassigned has recipients of its own, audited against `unassigned`", async () => {
    expect(await add("unassigned", "finance@example.com")).toMatchObject({
      ok: true,
      data: { billingGroupName: "Unassigned" },
    });
    // The same address in a billing group is another recipient, not a duplicate.
    expect(await add(sales.id, "finance@example.com")).toMatchObject({ ok: true });
    expect(await listRecipients({ billingGroup: "unassigned" })).toMatchObject({
      ok: true,
      data: { billingGroup: { id: "unassigned", name: "Unassigned" }, recipients: [{ email: "finance@example.com" }] },
    });
    expect(await add("unassigned", "FINANCE@example.com")).toMatchObject({
      ok: false,
      fieldErrors: { email: [expect.any(String)] },
    });
    const [entry] = await audit("billing_group.recipient_added").then((all) =>
      all.filter((e) => e.targetId === "unassigned"),
    );
    expect(entry).toMatchObject({ targetType: "billing_group", targetLabel: "Unassigned" });
    const [row] = await testDb()
      .select()
      .from(billingGroupRecipients)
      .where(and(eq(billingGroupRecipients.orgId, orgId), sql`${billingGroupRecipients.billingGroupId} is null`));
    expect(await remove("unassigned", row!.id)).toMatchObject({ ok: true });
    expect(await emailsOf("unassigned")).toEqual([]);
    expect(await emailsOf(sales.id)).toEqual(["finance@example.com"]);
  });

  it(`refuses the ${MAX_RECIPIENTS_PER_BILLING_GROUP + 1}th recipient with a field error, changing nothing`, async () => {
    for (let i = 0; i < MAX_RECIPIENTS_PER_BILLING_GROUP; i++)
      expect(await add(sales.id, `r${i}@example.com`), `recipient ${i}`).toMatchObject({ ok: true });
    const before = await snapshot();
    expect(await add(sales.id, "eleventh@example.com")).toEqual({
      ok: false,
      code: "limit_exceeded",
      error: "A billing group has at most 10 recipients. Remove one before adding another.",
      fieldErrors: { email: ["A billing group has at most 10 recipients. Remove one before adding another."] },
      values: { period: PERIOD, billingGroup: sales.id, email: "eleventh@example.com" },
    });
    expect(await snapshot()).toEqual(before);
    // Another group is not affected by this one's count.
    expect(await add(engineering.id, "eleventh@example.com")).toMatchObject({ ok: true });
  });

  it("refuses malformed addresses with a field error and the typed text echoed, changing nothing", async () => {
    const before = await snapshot();
    const cases: [string, string][] = [
      ["", "Enter an email address."],
      ["   ", "Enter an email address."],
      ["not-an-address", "Enter a valid email address, e.g. finance@example.com."],
      ["two@@example.com", "Enter a valid email address, e.g. finance@example.com."],
      ["a b@example.com", "Enter a valid email address, e.g. finance@example.com."],
      [`${"a".repeat(250)}@example.com`, "Use at most 254 characters."],
      ["nul\u0000@example.com", "Remove control characters (such as NUL) from this field."],
    ];
    for (const [email, message] of cases) {
      const result = await add(sales.id, email);
      expect(result, JSON.stringify(email)).toMatchObject({
        ok: false,
        code: "invalid_input",
        fieldErrors: { email: [message] },
        values: { email },
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a duplicate in another case — by the check, and by the unique key when the check is bypassed", async () => {
    expect(await add(sales.id, "Finance@Example.com")).toMatchObject({ ok: true });
    const before = await snapshot();
    const duplicate = {
      ok: false,
      code: "conflict",
      error: "This address is already a recipient of this billing group.",
      fieldErrors: { email: ["This address is already a recipient of this billing group."] },
      values: { email: "FINANCE@example.COM" },
    };
    expect(await add(sales.id, "FINANCE@example.COM")).toMatchObject(duplicate);
    expect(await snapshot()).toEqual(before);
    countHooks.skipDuplicateCheck = true;
    expect(await add(sales.id, "FINANCE@example.COM")).toMatchObject(duplicate);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses changes to a deleted group (its list stays readable), an unknown id and another org's group", async () => {
    expect(await add(old.id, "kept@example.com")).toMatchObject({ ok: true });
    await testDb().execute(sql`update billing_groups set deleted_at = now() where id = ${old.id}`);
    const [kept] = await testDb()
      .select()
      .from(billingGroupRecipients)
      .where(eq(billingGroupRecipients.billingGroupId, old.id));
    const before = await snapshot();
    const gone = {
      ok: false,
      code: "not_found",
      error: "That billing group no longer exists. Reload to see the current state.",
    };
    expect(await add(old.id, "new@example.com")).toMatchObject(gone);
    expect(await remove(old.id, kept!.id)).toMatchObject(gone);
    expect(await listRecipients({ billingGroup: old.id })).toMatchObject({
      ok: true,
      data: { billingGroup: { deleted: true }, recipients: [{ email: "kept@example.com" }] },
    });
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const id of [unknown, foreign.id]) {
      expect(await add(id, "new@example.com"), id).toMatchObject(gone);
      expect(await remove(id, kept!.id), id).toMatchObject(gone);
      expect(await listRecipients({ billingGroup: id }), id).toMatchObject({ ok: false, code: "not_found" });
    }
    // A recipient id of another group is not found in this one.
    expect(await remove(sales.id, kept!.id)).toMatchObject({ ok: false, code: "not_found" });
    // A malformed group reference is refused by the schema (form) and the route (not found).
    expect(await add("sales", "new@example.com")).toMatchObject({
      ok: false,
      fieldErrors: { billingGroup: [gone.error] },
    });
    expect(await listRecipients({ billingGroup: "sales" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await snapshot()).toEqual(before);
  });

  it("an admin of another org cannot add to, remove from or read this org's groups", async () => {
    await add(sales.id, "finance@example.com");
    const [row] = await testDb().select().from(billingGroupRecipients).where(eq(billingGroupRecipients.orgId, orgId));
    const before = await snapshot();
    signInAs(outsiderAdmin);
    expect(await add(sales.id, "spy@example.com")).toMatchObject({ ok: false, code: "not_found" });
    expect(await remove(sales.id, row!.id)).toMatchObject({ ok: false, code: "not_found" });
    expect(await listRecipients({ billingGroup: sales.id })).toMatchObject({ ok: false, code: "not_found" });
    // Their own Unassigned is theirs, not this org's.
    expect(await listRecipients({ billingGroup: "unassigned" })).toMatchObject({ ok: true, data: { recipients: [] } });
    expect(await snapshot()).toEqual(before);
  });

  it("a viewer reads their group's recipients only and changes nothing; a plain member gets nothing", async () => {
    await add(sales.id, "finance@example.com");
    await add(engineering.id, "eng@example.com");
    await add("unassigned", "ops@example.com");
    const [row] = await testDb()
      .select()
      .from(billingGroupRecipients)
      .where(eq(billingGroupRecipients.billingGroupId, sales.id));
    const before = await snapshot();
    signInAs(viewer);
    expect(await emailsOf(sales.id)).toEqual(["finance@example.com"]);
    for (const billingGroup of [engineering.id, "unassigned", old.id])
      expect(await listRecipients({ billingGroup }), billingGroup).toMatchObject({ ok: false, code: "forbidden" });
    expect(await add(sales.id, "viewer@example.com")).toMatchObject({ ok: false, code: "forbidden" });
    expect(await remove(sales.id, row!.id)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await sendStatementAction({ billingGroup: sales.id, period: "2026-10" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    signInAs(plain);
    for (const billingGroup of [sales.id, "unassigned"])
      expect(await listRecipients({ billingGroup }), billingGroup).toMatchObject({ ok: false, code: "forbidden" });
    expect(await add(sales.id, "plain@example.com")).toMatchObject({ ok: false, code: "forbidden" });
    expect(await remove(sales.id, row!.id)).toMatchObject({ ok: false, code: "forbidden" });
    signInAs(null);
    expect(await add(sales.id, "nobody@example.com")).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a historical period (R23): the tab was left open across the month boundary", async () => {
    await add(sales.id, "finance@example.com");
    const [row] = await testDb().select().from(billingGroupRecipients).where(eq(billingGroupRecipients.orgId, orgId));
    const before = await snapshot();
    const stale = {
      ok: false,
      code: "stale_period",
      error: "This period has ended — reload to work in the current period.",
    };
    expect(await add(sales.id, "late@example.com", "2026-10")).toMatchObject(stale);
    expect(await remove(sales.id, row!.id, "2026-10")).toMatchObject(stale);
    // The month turns while the tab shows November.
    setClock(new Date("2026-12-01T00:00:05Z"));
    try {
      expect(await add(sales.id, "late@example.com")).toMatchObject(stale);
      expect(await remove(sales.id, row!.id)).toMatchObject(stale);
    } finally {
      setClock(NOV);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("11 concurrent adds to a group of 9 end with exactly 10, each add audited once", async () => {
    for (let i = 0; i < 9; i++) expect(await add(sales.id, `existing${i}@example.com`)).toMatchObject({ ok: true });
    // Each add waits 50 ms between its count and its insert: without the lock, all eleven would count 9.
    countHooks.pauseMs = 50;
    const results = await Promise.all(
      Array.from({ length: 11 }, (_, i) => add(sales.id, `concurrent${i}@example.com`)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const refused of results.filter((r) => !r.ok)) expect(refused).toMatchObject({ code: "limit_exceeded" });
    const [count] = await testDb()
      .select({ n: sql<number>`count(*)::int` })
      .from(billingGroupRecipients)
      .where(eq(billingGroupRecipients.billingGroupId, sales.id));
    expect(count!.n).toBe(MAX_RECIPIENTS_PER_BILLING_GROUP);
    expect(await audit("billing_group.recipient_added")).toHaveLength(MAX_RECIPIENTS_PER_BILLING_GROUP);
  });

  it("the same address added concurrently lands once", async () => {
    countHooks.pauseMs = 50;
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => add("unassigned", i % 2 ? "Same@example.com" : "same@EXAMPLE.com")),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const refused of results.filter((r) => !r.ok)) expect(refused).toMatchObject({ code: "conflict" });
    expect(await emailsOf("unassigned")).toHaveLength(1);
  });

  it("Send Statement is for closed periods: the wrapper does not refuse a historical one as stale", async () => {
    const result = await sendStatementAction({ billingGroup: sales.id, period: "2026-10" });
    expect(result).not.toMatchObject({ code: "stale_period" });
    expect(await sendStatementAction({ billingGroup: "nope", period: "2026-10" })).toMatchObject({
      ok: false,
      code: "invalid_input",
    });
  });
});
