import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { withOrg } from "@/db";
import { auditLog, billingGroups, organizations } from "@/db/schema";
import { setClock } from "@/lib/clock";
import { createBillingGroup, createMember, createOrg as createTestOrg, testDb } from "@/tests/support/db";

// R40 on real PostgreSQL: threshold events written with the usage or limit change that caused
// them, exactly once under concurrency, never by a rolled-back change; the forecast job.

// A pool as large as the test database's, so 200 parallel events really contend in PostgreSQL.
const { queueJob } = vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "20";
  return { queueJob: vi.fn(async (_name: string, _data: object, _key: string) => undefined) };
});
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));
// The wake-ups are asserted, not sent (the dispatcher's job is another suite's).
vi.mock("@/lib/jobs/boss", () => ({ queueJob }));

const { recordUsage } = await import("@/lib/usage/service");
const { setAlertThresholds, setBillingGroupPeriodLimit } = await import("@/lib/billing-groups/service");
const { runForecastCheck } = await import("./forecast");

const createdOrgIds: string[] = [];
async function createOrg() {
  const org = await createTestOrg();
  createdOrgIds.push(org.id);
  return org;
}
afterAll(async () => {
  for (const id of createdOrgIds) await testDb().delete(organizations).where(eq(organizations.id, id));
  setClock(null);
});
beforeEach(() => queueJob.mockClear());
afterEach(() => setClock(null));

const actor = { id: null, label: "alerts test" };

function record(orgId: string, member: string, credits: bigint) {
  return recordUsage({
    orgId,
    apiKeyId: null,
    member,
    credits,
    idempotencyKey: randomUUID(),
    requestHash: randomUUID(),
  });
}

/** A group with `size` members who may each use plenty, so only the group limit binds. */
async function groupWithMembers(settings: { periodLimit: bigint | null; alertThresholds?: number[] }, size = 10) {
  const org = await createOrg();
  const group = await createBillingGroup(org.id, settings);
  const people = await Promise.all(
    Array.from({ length: size }, () => createMember(org.id, { personalLimit: 1_000_000n, billingGroupId: group.id })),
  );
  return { org, group, people };
}

type EventRow = { type: string; threshold: number | null; period: string; data: Record<string, unknown> };
async function eventsOf(groupId: string): Promise<EventRow[]> {
  return testDb().execute<EventRow>(sql`
    select type, threshold, period, data from events where billing_group_id = ${groupId}
    order by created_at, type, threshold`);
}
const summary = (rows: EventRow[]) => rows.map((e) => `${e.period} ${e.type} ${e.threshold ?? ""}`.trim());

async function groupUsed(groupId: string, period: string): Promise<bigint> {
  const [row] = await testDb().execute<{ v: string | null }>(
    sql`select credits::text as v from group_period_usage where billing_group_id = ${groupId} and period = ${period}`,
  );
  return BigInt(row?.v ?? 0);
}

async function currentVersion(groupId: string) {
  const [row] = await testDb()
    .select({ version: billingGroups.version })
    .from(billingGroups)
    .where(eq(billingGroups.id, groupId));
  return row!.version;
}

/** Sets the limit through the service in the runtime role's org transaction, as the action does. */
async function changeLimit(orgId: string, groupId: string, limit: bigint | null) {
  const version = await currentVersion(groupId);
  return withOrg(orgId, (tx) => setBillingGroupPeriodLimit(tx, { orgId, actor }, { id: groupId, version, limit }));
}

async function changeThresholds(orgId: string, groupId: string, thresholds: number[]) {
  const version = await currentVersion(groupId);
  return withOrg(orgId, (tx) => setAlertThresholds(tx, { orgId, actor }, { id: groupId, version, thresholds }));
}

/** A point one transaction reaches and then holds until released. */
function gate() {
  let reached = () => {};
  let release = () => {};
  const whenReached = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { reached: () => reached(), whenReached, release: () => release(), released };
}

/** Waits until `n` sessions of this database wait for a lock. */
async function lockWaiters(n: number) {
  for (let i = 0; i < 500; i++) {
    const [row] = await testDb().execute<{ n: number }>(
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (row!.n >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no session waited for a lock`);
}

/**
 * A limit change that holds its transaction open after writing (so the group's usage row stays
 * locked) while one event arrives: the event reads the group before the change commits, then
 * waits for the row. Returns both outcomes once the change has committed.
 */
async function eventDuringLimitChange(orgId: string, groupId: string, limit: bigint, member: string, credits: bigint) {
  const change = gate();
  const version = await currentVersion(groupId);
  const limitTx = withOrg(orgId, async (tx) => {
    const result = await setBillingGroupPeriodLimit(tx, { orgId, actor }, { id: groupId, version, limit });
    change.reached();
    await change.released;
    return result;
  });
  await change.whenReached;
  const pending = record(orgId, member, credits);
  await lockWaiters(1);
  change.release();
  return { changed: await limitTx, event: await pending };
}

describe("threshold.crossed from ingestion (R40)", () => {
  it("200 concurrent 1-Credit events write exactly one event per threshold, with R40's data", async () => {
    setClock(new Date("2026-06-10T12:00:00Z"));
    const { org, group, people } = await groupWithMembers({ periodLimit: 10_000n, alertThresholds: [50, 75, 100] });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => record(org.id, people[i % 10]!.id, 100n)));
    expect(results.filter((r) => r.kind === "accepted")).toHaveLength(100);
    expect(await groupUsed(group.id, "2026-06")).toBe(10_000n);
    const events = await eventsOf(group.id);
    expect(summary(events).sort()).toEqual([
      "2026-06 threshold.crossed 100",
      "2026-06 threshold.crossed 50",
      "2026-06 threshold.crossed 75",
    ]);
    const fifty = events.find((e) => e.threshold === 50)!;
    expect(fifty.data).toEqual({
      billingGroup: { id: group.id, name: group.name },
      period: "2026-06",
      threshold: 50,
      used: "50",
      limit: "100",
    });
    // Woken after commit, keyed by the org, exactly `{ orgId }`.
    expect(queueJob.mock.calls.length).toBe(3);
    for (const call of queueJob.mock.calls) expect(call).toEqual(["events.dispatch", { orgId: org.id }, org.id]);
  });

  it("a rolled-back recording leaves no event; the next real one crosses once", async () => {
    setClock(new Date("2026-06-10T12:00:00Z"));
    const { org, group, people } = await groupWithMembers({ periodLimit: 10_000n }, 1);
    const member = people[0]!;
    await expect(
      withOrg(org.id, async (tx) => {
        const [row] = await tx.execute<{ row: { outcome: string; events: number } }>(sql`
          select ledgerline_record_usage(${org.id}::uuid, null::uuid, ${member.id}::uuid, null::text, 8000::bigint,
            ${randomUUID()}, 'hash', '2026-06', ${new Date("2026-06-10T12:00:00Z").toISOString()}::timestamptz) as row`);
        expect(row!.row).toMatchObject({ outcome: "accepted", events: 1 });
        expect(await tx.execute(sql`select 1 from events where billing_group_id = ${group.id}`)).toHaveLength(1);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await eventsOf(group.id)).toEqual([]);
    expect(await groupUsed(group.id, "2026-06")).toBe(0n);
    expect((await record(org.id, member.id, 8_000n)).kind).toBe("accepted");
    expect(summary(await eventsOf(group.id))).toEqual(["2026-06 threshold.crossed 75"]);
  });

  it("a new period starts thresholds afresh", async () => {
    const { org, group, people } = await groupWithMembers({ periodLimit: 10_000n }, 1);
    setClock(new Date("2026-07-31T23:59:00Z"));
    await record(org.id, people[0]!.id, 8_000n);
    await record(org.id, people[0]!.id, 500n);
    setClock(new Date("2026-08-01T00:01:00Z"));
    await record(org.id, people[0]!.id, 8_000n);
    expect(summary(await eventsOf(group.id))).toEqual(["2026-07 threshold.crossed 75", "2026-08 threshold.crossed 75"]);
  });
});

describe("limit and threshold changes (R40)", () => {
  it("a raised limit resolves, a cut limit crosses again, a cleared limit resolves what is left", async () => {
    // Each step a minute later, so the events read back in the order they were written.
    let minute = 0;
    const tick = () => setClock(new Date(Date.UTC(2026, 5, 10, 12, minute++)));
    tick();
    const { org, group, people } = await groupWithMembers({ periodLimit: 10_000n }, 1);
    await record(org.id, people[0]!.id, 9_500n);
    expect(summary(await eventsOf(group.id))).toEqual(["2026-06 threshold.crossed 75", "2026-06 threshold.crossed 90"]);

    tick();
    expect(await changeLimit(org.id, group.id, 20_000n)).toMatchObject({ events: 2 });
    let events = await eventsOf(group.id);
    expect(summary(events.slice(2))).toEqual(["2026-06 threshold.resolved 75", "2026-06 threshold.resolved 90"]);
    expect(events[2]!.data).toEqual({
      billingGroup: { id: group.id, name: group.name },
      period: "2026-06",
      threshold: 75,
      used: "95",
      limit: "200",
    });

    tick();
    await changeLimit(org.id, group.id, 9_500n);
    events = await eventsOf(group.id);
    expect(summary(events.slice(4))).toEqual([
      "2026-06 threshold.crossed 75",
      "2026-06 threshold.crossed 90",
      "2026-06 threshold.crossed 100",
    ]);
    // The same limit again changes nothing.
    expect(await changeLimit(org.id, group.id, 9_500n)).toMatchObject({ events: 0 });
    tick();
    await changeLimit(org.id, group.id, null);
    events = await eventsOf(group.id);
    expect(summary(events.slice(7))).toEqual([
      "2026-06 threshold.resolved 75",
      "2026-06 threshold.resolved 90",
      "2026-06 threshold.resolved 100",
    ]);
    expect(events[7]!.data).not.toHaveProperty("limit");
  });

  it("a threshold edit crosses a newly listed threshold usage already reaches, and is audited", async () => {
    setClock(new Date("2026-06-10T12:00:00Z"));
    const { org, group, people } = await groupWithMembers({ periodLimit: 10_000n }, 1);
    await record(org.id, people[0]!.id, 6_000n);
    expect(await eventsOf(group.id)).toEqual([]);
    expect(await changeThresholds(org.id, group.id, [50, 80])).toMatchObject({ version: 2, events: 1 });
    expect(summary(await eventsOf(group.id))).toEqual(["2026-06 threshold.crossed 50"]);
    const [entry] = await testDb().select().from(auditLog).where(eq(auditLog.orgId, org.id));
    expect(entry).toMatchObject({
      action: "billing_group.alert_thresholds_set",
      targetId: group.id,
      before: { alertThresholds: [75, 90, 100] },
      after: { alertThresholds: [50, 80] },
    });
    // A stale version overwrites nothing.
    await expect(
      withOrg(org.id, (tx) =>
        setAlertThresholds(tx, { orgId: org.id, actor }, { id: group.id, version: 1, thresholds: [10] }),
      ),
    ).rejects.toThrow();
    const [row] = await testDb().select().from(billingGroups).where(eq(billingGroups.id, group.id));
    expect(row!.alertThresholds).toEqual([50, 80]);
  });

  it("a limit change waits for an event holding the group's usage row, then judges the usage it committed", async () => {
    setClock(new Date("2026-06-10T12:00:00Z"));
    const { org, group, people } = await groupWithMembers({ periodLimit: 10_000n }, 1);
    await record(org.id, people[0]!.id, 7_000n);
    const inFlight = gate();
    // Stands in for an accepted event between its usage-row update and its commit: 70 → 80 of
    // 100 Credits crosses 75.
    const event = testDb().transaction(async (tx) => {
      await tx.execute(sql`update group_period_usage set credits = credits + 1000
        where billing_group_id = ${group.id} and period = '2026-06'`);
      await tx.execute(sql`insert into events (org_id, type, billing_group_id, period, threshold, data, created_at)
        values (${org.id}, 'threshold.crossed', ${group.id}, '2026-06', 75, '{}', '2026-06-10T11:59:00Z')`);
      inFlight.reached();
      await inFlight.released;
    });
    await inFlight.whenReached;
    const change = changeLimit(org.id, group.id, 8_500n);
    await lockWaiters(1);
    inFlight.release();
    await event;
    // Judged on 80 of 85 Credits, the usage the event committed: 90 is new, 75 was announced by the
    // event (judged on the 70 it would read without the lock, it would announce 75 again and miss 90).
    expect(await change).toMatchObject({ events: 1 });
    expect(summary(await eventsOf(group.id))).toEqual(["2026-06 threshold.crossed 75", "2026-06 threshold.crossed 90"]);
  });

  it("an event that waited for a limit change's usage-row lock is judged again against the new limit", async () => {
    setClock(new Date("2026-06-10T12:00:00Z"));
    const { org, group, people } = await groupWithMembers({ periodLimit: 10_000n }, 1);
    await record(org.id, people[0]!.id, 7_000n);
    const { changed, event } = await eventDuringLimitChange(org.id, group.id, 8_000n, people[0]!.id, 500n);
    expect(changed).toMatchObject({ events: 1 });
    expect(event.kind).toBe("accepted");
    // 70 of 80 crosses 75; the event (75 of 80 = 93.75 %) crosses 90 — not 75 a second time under the old limit.
    expect(summary(await eventsOf(group.id))).toEqual(["2026-06 threshold.crossed 75", "2026-06 threshold.crossed 90"]);
  });

  it("a limit change on a group without usage leaves no usage row, and an event that waited for it is judged on the new limit", async () => {
    setClock(new Date("2026-06-10T12:00:00Z"));
    const { org, group, people } = await groupWithMembers({ periodLimit: 10_000n }, 1);
    expect(await changeLimit(org.id, group.id, 20_000n)).toMatchObject({ events: 0 });
    const rows = () => testDb().execute(sql`select 1 from group_period_usage where billing_group_id = ${group.id}`);
    expect(await rows()).toHaveLength(0);

    const { changed, event } = await eventDuringLimitChange(org.id, group.id, 1_000n, people[0]!.id, 800n);
    expect(changed).toMatchObject({ events: 0 });
    expect(event.kind).toBe("accepted");
    // 8 of 10 Credits (the new limit), not 8 of 200.
    expect(summary(await eventsOf(group.id))).toEqual(["2026-06 threshold.crossed 75"]);
    expect(await groupUsed(group.id, "2026-06")).toBe(800n);
  });

  it("limit and threshold changes racing 300 events leave events consistent with final usage, and no overshoot", async () => {
    setClock(new Date("2026-06-10T12:00:00Z"));
    const { org, group, people } = await groupWithMembers({ periodLimit: 10_000n, alertThresholds: [25, 50, 75, 100] });
    const wave = (n: number) =>
      Promise.all(Array.from({ length: n }, (_, i) => record(org.id, people[i % 10]!.id, 100n)));
    // Limits up and down while events arrive, so changes land between events near thresholds.
    const changes = (async () => {
      for (const limit of [6_000n, 15_000n, 9_000n, 30_000n, 11_000n, 25_000n, 14_000n]) {
        await changeLimit(org.id, group.id, limit);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await changeThresholds(org.id, group.id, [20, 50, 75, 100]);
      await changeLimit(org.id, group.id, 12_000n);
    })();
    await Promise.all([wave(300), changes]);
    // Whatever happened above, a second wave fills the group to exactly its final limit.
    await wave(200);
    expect(await groupUsed(group.id, "2026-06")).toBe(12_000n);
    await changeLimit(org.id, group.id, 20_000n);
    const used = await groupUsed(group.id, "2026-06");
    expect(used).toBe(12_000n);

    // Each listed threshold: announced (crossed minus resolved) exactly when final usage reaches it.
    const events = await eventsOf(group.id);
    for (const threshold of [20, 50, 75, 100]) {
      const count = (type: string) => events.filter((e) => e.type === type && e.threshold === threshold).length;
      const net = count("threshold.crossed") - count("threshold.resolved");
      expect(net, `threshold ${threshold}: ${summary(events).join(", ")}`).toBe(
        used * 100n >= BigInt(threshold) * 20_000n ? 1 : 0,
      );
    }
    // The threshold edited away during the race was announced at most once.
    expect(events.filter((e) => e.threshold === 25 && e.type === "threshold.crossed").length).toBeLessThanOrEqual(1);
  });
});

describe("forecast.exceeds (R40)", () => {
  it("fires once when the projection reaches the limit, not before 10 % used, not twice", async () => {
    // 2027-02 has 28 days: on the 2nd at 00:00, 1/28 of it has passed.
    setClock(new Date("2027-02-02T00:00:00Z"));
    const { org, group, people } = await groupWithMembers({ periodLimit: 10_000n }, 1);
    const calm = await createBillingGroup(org.id, { periodLimit: 100_000n });
    const calmMember = await createMember(org.id, { personalLimit: 1_000_000n, billingGroupId: calm.id });
    await record(org.id, people[0]!.id, 900n);
    // 9 % used, projected far past the limit: not yet.
    expect(await runForecastCheck()).toEqual({ orgs: 0, fired: 0 });
    await record(org.id, people[0]!.id, 100n);
    // Both checks race: the partial unique index keeps one.
    const [first, second] = await Promise.all([runForecastCheck(), runForecastCheck()]);
    expect(first!.fired + second!.fired).toBe(1);
    expect(await runForecastCheck()).toEqual({ orgs: 0, fired: 0 });
    const events = await eventsOf(group.id);
    expect(summary(events)).toEqual(["2027-02 forecast.exceeds"]);
    // 10 Credits after 1 of 28 days: projected 280.
    expect(events[0]!.data).toEqual({
      billingGroup: { id: group.id, name: group.name },
      period: "2027-02",
      used: "10",
      limit: "100",
      projected: "280",
    });
    // 20 % of the calm group's limit with half the period gone: projected 40 %, never fires.
    setClock(new Date("2027-02-15T00:00:00Z"));
    await record(org.id, calmMember.id, 20_000n);
    expect(await runForecastCheck()).toEqual({ orgs: 1, fired: 0 });
    expect(await eventsOf(calm.id)).toEqual([]);
    expect(await eventsOf(group.id)).toHaveLength(1);
    expect(queueJob).toHaveBeenCalledWith("events.dispatch", { orgId: org.id }, org.id);
  });

  it("fires when the projection reaches the limit and not while it stays below", async () => {
    setClock(new Date("2027-03-16T12:00:00Z"));
    const { org, group, people } = await groupWithMembers({ periodLimit: 10_000n }, 1);
    // Half of March gone, 40 Credits of 100: projected 80.
    await record(org.id, people[0]!.id, 4_000n);
    expect(await runForecastCheck()).toEqual({ orgs: 1, fired: 0 });
    await record(org.id, people[0]!.id, 1_000n);
    expect(await runForecastCheck()).toEqual({ orgs: 1, fired: 1 });
    expect(summary(await eventsOf(group.id))).toEqual(["2027-03 forecast.exceeds"]);
  });
});
