import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, billingGroups, members } from "@/db/schema";
import { GUARDED_ACTION } from "@/lib/actions";
import type { SignedInMember } from "@/lib/auth/guard";
import { setClock } from "@/lib/clock";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";

// The server actions end to end below the session: wrapper (role, zod, period check, error
// mapping) → service → database. The session is the one thing stubbed.
let signedIn: SignedInMember;
vi.mock("@/lib/auth/guard", async () => {
  const { ForbiddenError } = await import("@/lib/errors");
  return {
    requireMember: vi.fn(async (roles: readonly string[]) => {
      if (!roles.includes(signedIn.role)) throw new ForbiddenError();
      return signedIn;
    }),
  };
});
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const actions = await import("@/app/(console)/billing-groups/actions");
const {
  assignMembersAction,
  createBillingGroupAction,
  deleteBillingGroupAction,
  setPeriodLimitAction,
  updateBillingGroupAction,
} = actions;

const NOV = new Date("2026-11-20T12:00:00Z");

async function signInNewOrg(role: SignedInMember["role"] = "admin") {
  const org = await createOrg(undefined, new Date("2026-09-01T00:00:00Z"));
  const me = await createMember(org.id, { role });
  signedIn = {
    id: me.id,
    orgId: org.id,
    orgName: org.name,
    orgCreatedAt: org.createdAt,
    name: me.name,
    email: me.email,
    role,
    sessionsValidAfter: null,
  };
  return org;
}

function form(values: Record<string, string | string[]>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  }
  return data;
}

beforeAll(() => setClock(NOV));
afterEach(() => setClock(NOV));
afterAll(() => setClock(null));

describe("billing group server actions", () => {
  it("are all made by the one guarded wrapper", () => {
    const exported = Object.entries(actions);
    expect(exported.length).toBeGreaterThanOrEqual(7);
    for (const [name, fn] of exported)
      expect((fn as { [GUARDED_ACTION]?: string })[GUARDED_ACTION], name).toMatch(/^billing-groups\./);
  });

  it("creates from a form post, with the actor from the session in the audit entry", async () => {
    const org = await signInNewOrg("billing_admin");
    const result = await createBillingGroupAction(
      null,
      form({ period: "2026-11", name: "  Research  ", description: "R&D" }),
    );
    expect(result).toMatchObject({ ok: true, data: { name: "Research" } });
    const [group] = await testDb().select().from(billingGroups).where(eq(billingGroups.orgId, org.id));
    expect(group).toMatchObject({ name: "Research", createdBy: signedIn.id });
    const [entry] = await testDb().select().from(auditLog).where(eq(auditLog.orgId, org.id));
    expect(entry).toMatchObject({ action: "billing_group.created", actorId: signedIn.id });
  });

  it("returns inline field errors and echoes what was typed (R37)", async () => {
    await signInNewOrg();
    const long = "x".repeat(101);
    const result = await createBillingGroupAction(null, form({ period: "2026-11", name: long, description: "kept" }));
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_input",
      fieldErrors: { name: ["Use at most 100 characters."] },
      values: { name: long, description: "kept" },
    });
    const reserved = await createBillingGroupAction(null, form({ period: "2026-11", name: "unassigned" }));
    expect(reserved).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringMatching(/reserved/)] } });
    const empty = await createBillingGroupAction(null, form({ period: "2026-11", name: " " }));
    expect(empty).toMatchObject({ ok: false, fieldErrors: { name: ["Enter a name."] } });
    await createBillingGroupAction(null, form({ period: "2026-11", name: "Dup" }));
    const duplicate = await createBillingGroupAction(
      null,
      form({ period: "2026-11", name: "DUP", description: "typed" }),
    );
    expect(duplicate).toMatchObject({
      ok: false,
      code: "conflict",
      fieldErrors: { name: [expect.stringMatching(/already exists/)] },
      values: { name: "DUP", description: "typed" },
    });
    const badLimit = await setPeriodLimitAction(
      null,
      form({ period: "2026-11", id: crypto.randomUUID(), version: "1", limit: "1.234" }),
    );
    expect(badLimit).toMatchObject({
      ok: false,
      fieldErrors: { limit: [expect.stringMatching(/at most 2 decimals/)] },
      values: { limit: "1.234" },
    });
  });

  it("refuses every mutation from a tab left open across a month boundary, changing nothing (R23)", async () => {
    const org = await signInNewOrg();
    const group = await createBillingGroup(org.id, { name: "Stable" });
    const m = await createMember(org.id);
    setClock(new Date("2026-12-01T00:00:05Z"));
    const results = await Promise.all([
      createBillingGroupAction(null, form({ period: "2026-11", name: "Too late" })),
      updateBillingGroupAction(null, form({ period: "2026-11", id: group.id, version: "1", name: "Renamed" })),
      setPeriodLimitAction(null, form({ period: "2026-11", id: group.id, version: "1", limit: "10" })),
      deleteBillingGroupAction(null, form({ period: "2026-11", id: group.id, confirmName: "Stable" })),
      assignMembersAction({ period: "2026-11", memberIds: [m.id], billingGroupId: group.id }),
    ]);
    // A form that does not say which period it showed is refused too.
    expect(await createBillingGroupAction(null, form({ name: "No period at all" }))).toMatchObject({ ok: false });
    for (const result of results) {
      expect(result).toMatchObject({
        ok: false,
        code: "stale_period",
        error: "This period has ended — reload to work in the current period.",
      });
    }
    const [row] = await testDb().select().from(billingGroups).where(eq(billingGroups.id, group.id));
    expect(row).toMatchObject({ name: "Stable", version: 1, periodLimit: null, deletedAt: null });
    expect(await testDb().select().from(billingGroups).where(eq(billingGroups.orgId, org.id))).toHaveLength(1);
    expect(await testDb().select().from(auditLog).where(eq(auditLog.orgId, org.id))).toHaveLength(0);
    // The new period works.
    expect(await createBillingGroupAction(null, form({ period: "2026-12", name: "On time" }))).toMatchObject({
      ok: true,
    });
  });

  it("maps a stale version to a clear refusal", async () => {
    const org = await signInNewOrg();
    const group = await createBillingGroup(org.id, { name: "Shared" });
    const first = await updateBillingGroupAction(
      null,
      form({ period: "2026-11", id: group.id, version: "1", name: "Shared A" }),
    );
    expect(first.ok).toBe(true);
    const second = await setPeriodLimitAction(
      null,
      form({ period: "2026-11", id: group.id, version: "1", limit: "5" }),
    );
    expect(second).toMatchObject({
      ok: false,
      code: "stale_write",
      error: "“Shared A” was changed by someone else since you opened it. Reload and try again.",
    });
  });

  it("assigns many members in one call and refuses plain members (R3)", async () => {
    const org = await signInNewOrg();
    const group = await createBillingGroup(org.id);
    const a = await createMember(org.id);
    const b = await createMember(org.id);
    const result = await assignMembersAction({ period: "2026-11", memberIds: [a.id, b.id], billingGroupId: group.id });
    expect(result).toMatchObject({ ok: true, data: { assigned: 2 } });
    const rows = await testDb()
      .select()
      .from(members)
      .where(and(eq(members.orgId, org.id), eq(members.billingGroupId, group.id)));
    expect(rows).toHaveLength(2);
    const back = await assignMembersAction({ period: "2026-11", memberIds: [a.id], billingGroupId: "unassigned" });
    expect(back).toMatchObject({ ok: true, data: { billingGroupName: "Unassigned" } });

    await signInNewOrg("member");
    expect(await createBillingGroupAction(null, form({ period: "2026-11", name: "Nope" }))).toMatchObject({
      ok: false,
      code: "forbidden",
    });
  });

  it("sets the Default Personal Limit from Create and Edit, audited (R42)", async () => {
    const org = await signInNewOrg("billing_admin");
    const created = await createBillingGroupAction(
      null,
      form({ period: "2026-11", name: "Support", description: "", defaultPersonalLimit: " 150.5 " }),
    );
    expect(created).toMatchObject({ ok: true });
    const [group] = await testDb().select().from(billingGroups).where(eq(billingGroups.orgId, org.id));
    expect(group!.defaultPersonalLimit).toBe(15_050n);
    const cleared = await updateBillingGroupAction(
      null,
      form({ period: "2026-11", id: group!.id, version: "1", name: "Support", defaultPersonalLimit: "" }),
    );
    expect(cleared).toMatchObject({ ok: true });
    const [after] = await testDb().select().from(billingGroups).where(eq(billingGroups.id, group!.id));
    expect(after!.defaultPersonalLimit).toBeNull();
    const entries = await testDb()
      .select()
      .from(auditLog)
      .where(eq(auditLog.orgId, org.id))
      .orderBy(auditLog.createdAt);
    expect(entries.map((e) => [e.action, e.after])).toEqual([
      ["billing_group.created", expect.objectContaining({ defaultPersonalLimit: "150.5" })],
      ["billing_group.updated", expect.objectContaining({ defaultPersonalLimit: null })],
    ]);
  });

  it("refuses a negative, non-numeric, over-precise or too large Default Personal Limit, keeping what was typed and changing nothing", async () => {
    const org = await signInNewOrg();
    const group = await createBillingGroup(org.id, { name: "Keep", defaultPersonalLimit: 5_000n });
    const cases: [string, RegExp][] = [
      ["-5", /^Enter 0 or more Credits, or leave it empty for no default\.$/],
      ["12.345", /at most 2 decimals/],
      ["ten", /at most 2 decimals/],
      ["1e3", /at most 2 decimals/],
      ["1000000000000.01", /^Enter at most 1,000,000,000,000 Credits\.$/],
    ];
    for (const [typed, message] of cases) {
      const create = await createBillingGroupAction(
        null,
        form({ period: "2026-11", name: `New ${typed}`, description: "typed", defaultPersonalLimit: typed }),
      );
      expect(create, `create with ${typed}`).toMatchObject({
        ok: false,
        code: "invalid_input",
        fieldErrors: { defaultPersonalLimit: [expect.stringMatching(message)] },
        values: { name: `New ${typed}`, description: "typed", defaultPersonalLimit: typed },
      });
      const edit = await updateBillingGroupAction(
        null,
        form({ period: "2026-11", id: group.id, version: "1", name: "Renamed", defaultPersonalLimit: typed }),
      );
      expect(edit, `edit with ${typed}`).toMatchObject({
        ok: false,
        fieldErrors: { defaultPersonalLimit: [expect.stringMatching(message)] },
        values: { defaultPersonalLimit: typed },
      });
    }
    const rows = await testDb().select().from(billingGroups).where(eq(billingGroups.orgId, org.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "Keep", version: 1, defaultPersonalLimit: 5_000n });
    expect(await testDb().select().from(auditLog).where(eq(auditLog.orgId, org.id))).toHaveLength(0);
  });

  it("refuses a Default Personal Limit change from a historical period (R23)", async () => {
    const org = await signInNewOrg();
    const group = await createBillingGroup(org.id, { name: "Past" });
    setClock(new Date("2026-12-01T00:00:05Z"));
    const results = [
      await updateBillingGroupAction(
        null,
        form({ period: "2026-11", id: group.id, version: "1", name: "Past", defaultPersonalLimit: "100" }),
      ),
      await createBillingGroupAction(null, form({ period: "2026-11", name: "Late", defaultPersonalLimit: "100" })),
    ];
    for (const result of results) expect(result).toMatchObject({ ok: false, code: "stale_period" });
    const rows = await testDb().select().from(billingGroups).where(eq(billingGroups.orgId, org.id));
    expect(rows).toEqual([expect.objectContaining({ name: "Past", version: 1, defaultPersonalLimit: null })]);
    expect(await testDb().select().from(auditLog).where(eq(auditLog.orgId, org.id))).toHaveLength(0);
  });
});
