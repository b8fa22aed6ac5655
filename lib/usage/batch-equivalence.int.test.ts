// Issue 19, item 2: the set-based batch (migration 0020) judges each event exactly as if it had
// been sent alone, in request order. Twin orgs with the same groups, members, limits, defaults,
// thresholds and earlier usage; one gets a 400-event batch, the other the same events one by one
// through the single-event path. Every answer and every rollup, daily row, alert and idempotency
// record must come out the same.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createBillingGroup, createMember, createOrg as createTestOrg, testDb } from "@/tests/support/db";
import { usageRequestHash } from "./rules";

vi.hoisted(() => {
  process.env.DATABASE_POOL_SIZE = "20";
});
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
}));

const { recordUsage, recordUsageBatch } = await import("./service");

const createdOrgIds: string[] = [];
afterAll(async () => {
  for (const id of createdOrgIds) await testDb().execute(sql`delete from organizations where id = ${id}`);
});

const GROUPS = {
  // 30 Credits, thresholds low enough for the batch to cross them, and a default personal limit.
  limited: { periodLimit: 3_000n, defaultPersonalLimit: 700n, alertThresholds: [10, 50, 80, 100] },
  open: { periodLimit: null, defaultPersonalLimit: null, alertThresholds: [75, 90, 100] },
  tight: { periodLimit: 1_000n, defaultPersonalLimit: 200n, alertThresholds: [25, 100] },
} as const;
type GroupLabel = keyof typeof GROUPS;

const MEMBERS: { group: GroupLabel | null; personalLimit: bigint | null; deactivated?: boolean }[] = [
  { group: "limited", personalLimit: 2_000n },
  { group: "limited", personalLimit: null }, // the group's default (R42)
  { group: "open", personalLimit: 800n },
  { group: "open", personalLimit: null }, // no limit at all: not configured
  { group: null, personalLimit: 1_500n }, // Unassigned
  { group: "tight", personalLimit: 0n }, // an own 0 beats the default
  { group: "limited", personalLimit: 5_000n, deactivated: true },
  { group: "tight", personalLimit: 5_000n },
  { group: "tight", personalLimit: null },
];

type Twin = { orgId: string; memberIds: string[]; groupLabel: Map<string | null, string> };

async function twinOrg(tag: string): Promise<Twin> {
  const org = await createTestOrg();
  createdOrgIds.push(org.id);
  const groupIds = {} as Record<GroupLabel, string>;
  const groupLabel = new Map<string | null, string>([[null, "unassigned"]]);
  for (const [label, settings] of Object.entries(GROUPS) as [GroupLabel, (typeof GROUPS)[GroupLabel]][]) {
    const group = await createBillingGroup(org.id, {
      name: `${label} ${tag}`,
      periodLimit: settings.periodLimit,
      defaultPersonalLimit: settings.defaultPersonalLimit,
      alertThresholds: [...settings.alertThresholds],
    });
    groupIds[label] = group.id;
    groupLabel.set(group.id, label);
  }
  const memberIds: string[] = [];
  for (const [index, m] of MEMBERS.entries()) {
    const member = await createMember(org.id, {
      email: `eq-${index}@example.test`,
      billingGroupId: m.group ? groupIds[m.group] : null,
      personalLimit: m.personalLimit,
      deactivatedAt: m.deactivated ? new Date() : null,
    });
    memberIds.push(member.id);
  }
  return { orgId: org.id, memberIds, groupLabel };
}

/** A deterministic pseudo-random sequence (xorshift), so a failure names its event. */
function sequence(seed: number) {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return Math.abs(x) % n;
  };
}

type Planned = { who: number | "ghost"; byId: boolean; upper: boolean; credits: bigint; key: string };

function planEvents(seed: number, count: number): Planned[] {
  const pick = sequence(seed);
  const events: Planned[] = [];
  for (let i = 0; i < count; i++) {
    const earlier = events.length > 0 && pick(10) === 0 ? events[pick(events.length)]! : null;
    if (earlier) {
      // Half replays (same payload), half conflicts (same key, other Credits).
      events.push(pick(2) === 0 ? { ...earlier } : { ...earlier, credits: earlier.credits + 1n });
      continue;
    }
    events.push({
      who: pick(25) === 0 ? "ghost" : pick(MEMBERS.length),
      byId: pick(3) === 0,
      upper: pick(4) === 0,
      credits: BigInt(1 + pick(400)),
      key: `eq-${seed}-${i}`,
    });
  }
  return events;
}

function eventFor(twin: Twin, planned: Planned) {
  const email = planned.who === "ghost" ? "ghost@example.test" : `eq-${planned.who}@example.test`;
  const member =
    planned.who !== "ghost" && planned.byId
      ? twin.memberIds[planned.who]!
      : planned.upper
        ? email.toUpperCase()
        : email;
  return {
    member,
    credits: planned.credits,
    idempotencyKey: planned.key,
    // What the routes hash: the member as sent (so by id and by email differ) and the Credits.
    requestHash: usageRequestHash({ member, credits: planned.credits }),
  };
}

/** An outcome without what differs between the twins by construction (ids, times). */
function comparable(twin: Twin, outcome: Awaited<ReturnType<typeof recordUsage>>) {
  if (outcome.kind !== "accepted" && outcome.kind !== "replayed") return { kind: outcome.kind, body: outcome.body };
  const { eventId: _eventId, recordedAt: _recordedAt, member, billingGroup, ...rest } = outcome.body;
  return {
    kind: outcome.kind,
    ...rest,
    member: member.email,
    billingGroup: billingGroup.id === "unassigned" ? "unassigned" : twin.groupLabel.get(billingGroup.id),
  };
}

async function stateOf(twin: Twin) {
  const label = (id: string | null) => twin.groupLabel.get(id) ?? `?${id}`;
  const who = (id: string) => twin.memberIds.indexOf(id);
  const db = testDb();
  const byMember = await db.execute<{ member_id: string; period: string; credits: string }>(
    sql`select member_id, period, credits::text from member_period_usage where org_id = ${twin.orgId}`,
  );
  const byGroup = await db.execute<{ billing_group_id: string | null; credits: string }>(
    sql`select billing_group_id, credits::text from group_period_usage where org_id = ${twin.orgId}`,
  );
  const byMemberGroup = await db.execute<{
    member_id: string;
    billing_group_id: string | null;
    credits: string;
    event_count: number;
  }>(
    sql`select member_id, billing_group_id, credits::text, event_count from member_group_period_usage where org_id = ${twin.orgId}`,
  );
  const daily = await db.execute<{ billing_group_id: string | null; credits: string }>(
    sql`select billing_group_id, credits::text from group_daily_usage where org_id = ${twin.orgId}`,
  );
  const alerts = await db.execute<{ billing_group_id: string; threshold: number; used: string }>(
    sql`select billing_group_id, threshold, data ->> 'used' as used from events where org_id = ${twin.orgId} and type = 'threshold.crossed'`,
  );
  const [counts] = await db.execute<{ events: number; records: number; credits: string }>(
    sql`select (select count(*) from usage_events where org_id = ${twin.orgId})::int as events,
               (select count(*) from idempotency_records where org_id = ${twin.orgId})::int as records,
               (select coalesce(sum(credits), 0)::text from usage_events where org_id = ${twin.orgId}) as credits`,
  );
  const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    members: sorted(byMember.map((r) => [who(r.member_id), r.period, r.credits])),
    groups: sorted(byGroup.map((r) => [label(r.billing_group_id), r.credits])),
    memberGroups: sorted(
      byMemberGroup.map((r) => [who(r.member_id), label(r.billing_group_id), r.credits, r.event_count]),
    ),
    daily: sorted(daily.map((r) => [label(r.billing_group_id), r.credits])),
    alerts: sorted(alerts.map((r) => [label(r.billing_group_id), r.threshold, r.used])),
    counts,
  };
}

describe("the set-based batch (migration 0020) against the same events sent one by one", () => {
  it.each([7, 19, 101])("seed %i: the same answers, rollups, alerts and records", async (seed) => {
    const single = await twinOrg(`single-${seed}`);
    const batched = await twinOrg(`batch-${seed}`);
    // Usage before the batch, in both: an earlier key the batch will replay, and figures to start from.
    const earlier = planEvents(seed * 1_000, 12);
    for (const twin of [single, batched]) {
      for (const planned of earlier)
        await recordUsage({ orgId: twin.orgId, apiKeyId: null, ...eventFor(twin, planned) });
    }
    const planned = [...planEvents(seed, 400), earlier[0]!, { ...earlier[1]!, credits: earlier[1]!.credits + 7n }];

    const one = [];
    for (const p of planned)
      one.push(await recordUsage({ orgId: single.orgId, apiKeyId: null, ...eventFor(single, p) }));
    const all = await recordUsageBatch({
      orgId: batched.orgId,
      apiKeyId: null,
      events: planned.map((p) => eventFor(batched, p)),
    });

    expect(all).toHaveLength(planned.length);
    const kinds = new Set(all.map((o) => (o.kind === "rejected" ? o.body.error : o.kind)));
    // The sequence exercises every path of the judging.
    expect([...kinds].sort()).toEqual(
      [
        "accepted",
        "replayed",
        "idempotency_conflict",
        "member_not_found",
        "personal_limit_not_configured",
        "personal_limit_reached",
        "group_limit_reached",
      ].sort(),
    );
    for (const [index, outcome] of all.entries()) {
      expect(comparable(batched, outcome), `event ${index}`).toEqual(comparable(single, one[index]!));
    }
    const [a, b] = [await stateOf(single), await stateOf(batched)];
    expect(b).toEqual(a);
    expect(b.alerts.length).toBeGreaterThan(0);
  });

  it("leaves no usage row behind for a group whose every event was refused", async () => {
    const twin = await twinOrg("refused");
    // Member 5 has an own limit of 0 in the `tight` group: every event is refused.
    const events = Array.from({ length: 3 }, (_, i) =>
      eventFor(twin, { who: 5, byId: false, upper: false, credits: 10n, key: `refused-${i}` }),
    );
    const outcomes = await recordUsageBatch({ orgId: twin.orgId, apiKeyId: null, events });
    expect(outcomes.map((o) => (o.kind === "rejected" ? o.body.error : o.kind))).toEqual(
      Array(3).fill("personal_limit_not_configured"),
    );
    const rows = await testDb().execute(sql`select 1 from group_period_usage where org_id = ${twin.orgId}`);
    expect(rows).toHaveLength(0);
  });

  it("keeps a group limit exact while single events and batches race over it", async () => {
    const twin = await twinOrg(`race-${randomUUID().slice(0, 4)}`);
    // `tight` allows 10.00 Credits; members 7 (own 50) and 8 (default 2) share it. Singles of 0.09
    // and batches of 0.10 Credits race for it.
    const single = (i: number) =>
      recordUsage({
        orgId: twin.orgId,
        apiKeyId: null,
        ...eventFor(twin, { who: 7, byId: i % 2 === 0, upper: false, credits: 9n, key: `race-single-${i}` }),
      });
    const batch = (b: number) =>
      recordUsageBatch({
        orgId: twin.orgId,
        apiKeyId: null,
        events: Array.from({ length: 20 }, (_, i) =>
          eventFor(twin, {
            who: i % 3 === 0 ? 8 : 7,
            byId: b % 2 === 0,
            upper: false,
            credits: 10n,
            key: `race-${b}-${i}`,
          }),
        ),
      });
    const results = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => single(i).then((o) => [o])),
      ...Array.from({ length: 6 }, (_, b) => batch(b)),
    ]);
    const accepted = results.flat().filter((o) => o.kind === "accepted");
    const acceptedCredits = accepted.reduce(
      (sum, o) => sum + (o.kind === "accepted" ? Math.round(Number(o.body.credits) * 100) : 0),
      0,
    );
    const [row] = await testDb().execute<{ credits: string; events: string }>(
      sql`select (select credits::text from group_period_usage where org_id = ${twin.orgId} and billing_group_id is not null) as credits,
                 (select coalesce(sum(credits), 0)::text from usage_events where org_id = ${twin.orgId}) as events`,
    );
    expect(Number(row!.credits)).toBe(acceptedCredits);
    expect(Number(row!.events)).toBe(acceptedCredits);
    expect(acceptedCredits).toBeLessThanOrEqual(1_000);
    // Member 7 alone wants 11.40 Credits, so the limit was reached: an event was refused only when
    // it did not fit, so what is left is less than the largest event.
    expect(1_000 - acceptedCredits).toBeLessThan(10);
  });
});
