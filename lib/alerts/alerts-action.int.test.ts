import { eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auditLog, billingGroups } from "@/db/schema";
import { setClock } from "@/lib/clock";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { signInAs } from "@/tests/support/signed-in";

// R40's Alerts tab through its server action: the real guard and wrapper (role, zod, R23 period)
// → access layer → service → database as the runtime role, and the dispatcher woken after commit.
const { queueJob } = vi.hoisted(() => ({
  queueJob: vi.fn(async (_name: string, _data: object, _key: string) => undefined),
}));
vi.mock("@/lib/jobs/boss", () => ({ queueJob }));

const { setAlertThresholdsAction, setPeriodLimitAction } = await import("@/app/(console)/billing-groups/actions");

const NOV = new Date("2026-11-20T12:00:00Z");

async function signIn(role: "admin" | "billing_admin" | "member") {
  const org = await createOrg(undefined, new Date("2026-09-01T00:00:00Z"));
  const me = await createMember(org.id, { role });
  signInAs(me);
  return { org, me };
}

/** The Alerts tab's Save for `groupId` as the form sends it. */
function save(groupId: string, thresholds: string, form: { period?: string; version?: string } = {}) {
  return setAlertThresholdsAction({ period: "2026-11", version: "1", ...form, id: groupId, thresholds });
}

async function thresholdsOf(groupId: string) {
  const [row] = await testDb().select().from(billingGroups).where(eq(billingGroups.id, groupId));
  return { thresholds: row!.alertThresholds, version: row!.version };
}

beforeEach(() => {
  setClock(NOV);
  queueJob.mockClear();
});
afterAll(() => setClock(null));

describe("setAlertThresholdsAction (R40)", () => {
  it("saves typed thresholds sorted, audited with the session's actor", async () => {
    const { org, me } = await signIn("billing_admin");
    const group = await createBillingGroup(org.id, { periodLimit: 10_000n });
    const result = await save(group.id, "80, 50");
    expect(result).toEqual({ ok: true, data: { id: group.id, version: 2 } });
    expect(await thresholdsOf(group.id)).toEqual({ thresholds: [50, 80], version: 2 });
    const [entry] = await testDb().select().from(auditLog).where(eq(auditLog.orgId, org.id));
    expect(entry).toMatchObject({
      action: "billing_group.alert_thresholds_set",
      actorId: me.id,
      before: { alertThresholds: [75, 90, 100] },
      after: { alertThresholds: [50, 80] },
    });
    // Nothing crossed (no usage): no wake-up.
    expect(queueJob).not.toHaveBeenCalled();
  });

  it("answers a bad value with a field error and the typed text, changing nothing", async () => {
    const { org } = await signIn("admin");
    const group = await createBillingGroup(org.id, { periodLimit: 10_000n });
    const result = await save(group.id, "0, 150");
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { thresholds: [expect.stringMatching(/whole number from 1 to 100/)] },
      values: { thresholds: "0, 150" },
    });
    expect(await thresholdsOf(group.id)).toEqual({ thresholds: [75, 90, 100], version: 1 });
  });

  it("is refused in a period that has ended, and to a plain member or a viewer", async () => {
    const { org } = await signIn("admin");
    const group = await createBillingGroup(org.id, { periodLimit: 10_000n });
    setClock(new Date("2026-12-01T00:00:05Z"));
    const stale = await save(group.id, "50");
    expect(stale).toMatchObject({ ok: false, code: "stale_period" });
    signInAs(await createMember(org.id, { role: "member" }));
    const forbidden = await save(group.id, "50", { period: "2026-12" });
    expect(forbidden).toMatchObject({ ok: false });
    expect(await thresholdsOf(group.id)).toEqual({ thresholds: [75, 90, 100], version: 1 });
    expect(await testDb().select().from(auditLog).where(eq(auditLog.orgId, org.id))).toHaveLength(0);
  });

  it("wakes the dispatcher after a limit or threshold change that wrote events", async () => {
    const { org } = await signIn("admin");
    const group = await createBillingGroup(org.id);
    // 60 Credits already used this period.
    await testDb().execute(sql`insert into group_period_usage (org_id, period, billing_group_id, credits)
      values (${org.id}, '2026-11', ${group.id}, 6000)`);
    const limit = await setPeriodLimitAction({ period: "2026-11", id: group.id, version: "1", limit: "100" });
    expect(limit).toEqual({ ok: true, data: { id: group.id, version: 2 } });
    expect(queueJob).not.toHaveBeenCalled();
    const edit = await save(group.id, "50", { version: "2" });
    expect(edit).toMatchObject({ ok: true });
    expect(queueJob).toHaveBeenCalledExactlyOnceWith("events.dispatch", { orgId: org.id }, org.id);
    const events = await testDb().execute<{ type: string; threshold: number }>(
      sql`select type, threshold from events where billing_group_id = ${group.id}`,
    );
    expect([...events]).toEqual([{ type: "threshold.crossed", threshold: 50 }]);
  });
});
