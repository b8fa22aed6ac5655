// Security suite, server actions (issue 7): every exported action, found from the code, is called
// as nobody, as a plain member, as a billing admin, as a deactivated or demoted admin, with a
// session older than its sign-out, and as an admin of ANOTHER org using this org's ids. Each is
// refused (or acts only inside the caller's own org) and this org's rows and audit log do not move.
// The real guard runs: only next-auth's session read is replaced.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  apiKeys,
  billingGroupRecipients,
  billingGroupViewers,
  eventDeliveries,
  events,
  groupMemberships,
  groups,
  members,
  webhookEndpoints,
} from "@/db/schema";
import { ACTION_ROLES, GUARDED_ACTION, type ActionResult } from "@/lib/actions";
import type { Role } from "@/lib/auth/roles";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { serverActionModules } from "@/tests/support/server-actions";

const session: { current: { memberId: string; orgId: string; issuedAt: number } | null } = { current: null };

vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
  authSecret: () => "security-suite-secret-".repeat(3),
  // R41: webhook signing secrets are sealed with it (an admin of org B creates one in B).
  encryptionKeyMaterial: () => "security-suite-secret-".repeat(3),
}));
vi.mock("next-auth", async (original) => ({
  ...(await original<object>()),
  getServerSession: async () => session.current,
}));
vi.mock("next/server", async (original) => ({ ...(await original<object>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

type Action = ((input: unknown) => Promise<ActionResult<unknown>>) & {
  [GUARDED_ACTION]?: string;
  [ACTION_ROLES]?: readonly Role[];
};

const actions: { name: string; fn: Action }[] = [];
const A = {
  plain: "",
  org: "",
  billingGroup: "",
  billingGroupName: "",
  admin: "",
  billingAdmin: "",
  member: "",
  other: "",
  deactivated: "",
  group: "",
  groupName: "",
  apiKey: "",
  recipient: "",
  webhook: "",
  webhookDelivery: "",
  /** An alert event of a group no viewer was granted (R40's Notifications list). */
  hiddenEvent: "",
};
const B = { org: "", admin: "", member: "" };
const period = periodOf(now());
// A closed period, for Send Statement (R39).
const previousPeriod = periodOf(new Date(Date.UTC(now().getUTCFullYear(), now().getUTCMonth() - 1, 15)));

beforeAll(async () => {
  for (const file of serverActionModules()) {
    const exported = (await import(file)) as Record<string, Action>;
    for (const fn of Object.values(exported)) actions.push({ name: fn[GUARDED_ACTION]!, fn });
  }
  const orgA = await createOrg("Security A", new Date("2026-01-01T00:00:00Z"));
  const orgB = await createOrg("Security B", new Date("2026-01-01T00:00:00Z"));
  A.org = orgA.id;
  B.org = orgB.id;
  const group = await createBillingGroup(orgA.id, { name: "A Finance", periodLimit: 10_000n });
  A.billingGroup = group.id;
  A.billingGroupName = group.name;
  A.admin = (await createMember(orgA.id, { role: "admin", name: "A Admin" })).id;
  A.billingAdmin = (await createMember(orgA.id, { role: "billing_admin" })).id;
  A.member = (await createMember(orgA.id, { role: "member", personalLimit: 500n, billingGroupId: group.id })).id;
  A.other = (await createMember(orgA.id, { role: "member", name: "A Person", email: "a.person@example.test" })).id;
  // A member with no billing group viewer grant: no console at all (R3).
  A.plain = (await createMember(orgA.id, { role: "member" })).id;
  A.deactivated = (await createMember(orgA.id, { role: "admin", deactivatedAt: new Date() })).id;
  const [functional] = await testDb().insert(groups).values({ orgId: orgA.id, name: "A Reviewers" }).returning();
  A.group = functional!.id;
  A.groupName = functional!.name;
  await testDb().insert(groupMemberships).values({ orgId: orgA.id, groupId: functional!.id, memberId: A.member });
  await testDb().insert(billingGroupViewers).values({ orgId: orgA.id, billingGroupId: group.id, memberId: A.member });
  const [key] = await testDb()
    .insert(apiKeys)
    .values({ orgId: orgA.id, name: "A key", prefix: "aaaaaaaa", secretHash: `hash-${Date.now()}` })
    .returning();
  A.apiKey = key!.id;
  const [recipient] = await testDb()
    .insert(billingGroupRecipients)
    .values({ orgId: orgA.id, billingGroupId: group.id, email: "a.finance@example.test" })
    .returning();
  A.recipient = recipient!.id;
  // R41: an endpoint of org A with one delivery, for the Webhooks actions to aim at.
  const at = new Date();
  const [endpoint] = await testDb()
    .insert(webhookEndpoints)
    .values({
      orgId: orgA.id,
      url: "https://a-hooks.example.test/ledgerline",
      eventTypes: ["threshold.crossed"],
      secretCiphertext: "v1.sealed.elsewhere.x",
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  A.webhook = endpoint!.id;
  const [event] = await testDb()
    .insert(events)
    .values({ orgId: orgA.id, type: "ping", data: {}, createdAt: at, dispatchedAt: at })
    .returning();
  const [delivery] = await testDb()
    .insert(eventDeliveries)
    .values({
      orgId: orgA.id,
      eventId: event!.id,
      channel: "webhook",
      endpointId: endpoint!.id,
      status: "failed",
      nextAttemptAt: at,
      windowStartedAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  A.webhookDelivery = delivery!.id;
  const hidden = await createBillingGroup(orgA.id, { name: "A Hidden", periodLimit: 100n });
  const [hiddenEvent] = await testDb()
    .insert(events)
    .values({
      orgId: orgA.id,
      type: "threshold.crossed",
      billingGroupId: hidden.id,
      period,
      threshold: 75,
      data: { billingGroup: { id: hidden.id, name: hidden.name }, period, threshold: 75, used: "75", limit: "100" },
      createdAt: now(),
    })
    .returning();
  A.hiddenEvent = hiddenEvent!.id;
  B.admin = (await createMember(orgB.id, { role: "admin" })).id;
  B.member = (await createMember(orgB.id, { role: "member" })).id;
});

afterAll(async () => {
  await testDb().execute(sql`delete from organizations where id in (${A.org}, ${B.org})`);
});

function signInAs(orgId: string, memberId: string, issuedAt = Math.floor(Date.now() / 1000)) {
  session.current = { orgId, memberId, issuedAt };
}

/** A fingerprint of everything org A owns, read as the owner (RLS does not hide it). */
async function snapshotOfA() {
  const tables = [
    "members",
    "billing_groups",
    "groups",
    "group_memberships",
    "api_keys",
    "billing_group_viewers",
    "billing_group_recipients",
    "webhook_endpoints",
    "events",
    "event_deliveries",
    "usage_events",
    "audit_log",
    "notification_reads",
  ];
  const parts: string[] = [];
  for (const table of tables) {
    const [row] = await testDb().execute<{ digest: string | null; n: number }>(
      sql`select md5(string_agg(t::text, '|' order by t::text)) as digest, count(*)::int as n from ${sql.identifier(table)} t where org_id = ${A.org}`,
    );
    parts.push(`${table}:${row!.n}:${row!.digest}`);
  }
  return parts.join("\n");
}

/**
 * Inputs that aim each action at org A's rows. An action without an entry fails the suite: a new
 * action must say how it is attacked.
 */
function inputAgainstA(name: string): Record<string, unknown> {
  const smuggled = { orgId: A.org, role: "admin", used: "999" }; // mass assignment: must be ignored
  const inputs: Record<string, Record<string, unknown>> = {
    "billing-groups.create": { period, name: "Smuggled group", description: "", defaultPersonalLimit: "99999" },
    "billing-groups.update": {
      period,
      id: A.billingGroup,
      version: "1",
      name: "Hijacked",
      description: "",
      defaultPersonalLimit: "99999",
    },
    "billing-groups.set-period-limit": { period, id: A.billingGroup, version: "1", limit: "1" },
    "billing-groups.set-alert-thresholds": { period, id: A.billingGroup, version: "1", thresholds: "1, 2, 3" },
    "billing-groups.delete": { period, id: A.billingGroup, confirmName: A.billingGroupName },
    "billing-groups.assign-members": { period, memberIds: [A.member, A.other], billingGroupId: A.billingGroup },
    "billing-groups.search-members": { q: "", scope: "unassigned" },
    "billing-groups.details": { id: A.billingGroup, period },
    "billing-groups.viewers": { billingGroupId: A.billingGroup },
    "billing-groups.add-viewers": { billingGroupId: A.billingGroup, memberIds: [A.other] },
    "billing-groups.remove-viewer": { billingGroupId: A.billingGroup, memberId: A.member },
    "billing-groups.add-recipient": { period, billingGroup: A.billingGroup, email: "smuggled@example.test" },
    "billing-groups.remove-recipient": { period, billingGroup: A.billingGroup, recipientId: A.recipient },
    "billing-groups.send-statement": { billingGroup: A.billingGroup, period: previousPeriod },
    "groups.create": { name: "Smuggled group", description: "" },
    "groups.update": { groupId: A.group, name: "Hijacked", description: "" },
    "groups.delete": { groupId: A.group, confirmName: A.groupName },
    "groups.addMembers": { groupId: A.group, memberIds: [A.other] },
    "groups.removeMember": { groupId: A.group, memberId: A.member },
    "members.add": { period, name: "Smuggled", email: "a.person@example.test", role: "admin" },
    "members.assignBillingGroup": { period, memberIds: [A.member], billingGroupId: "unassigned" },
    "members.setPersonalLimit": { period, memberIds: [A.member], personalLimit: "99999" },
    "members.changeRole": { period, memberId: A.member, role: "admin" },
    "members.deactivate": { period, memberId: A.member },
    "members.reactivate": { period, memberId: A.deactivated },
    createApiKey: { name: "Smuggled key" },
    revokeApiKey: { id: A.apiKey },
    "webhooks.create": { url: "https://smuggled.example.test/hook", eventTypes: ["threshold.crossed"] },
    "webhooks.update": { id: A.webhook, enabled: false },
    "webhooks.rotate-secret": { id: A.webhook },
    "webhooks.delete": { id: A.webhook },
    "webhooks.send-test-event": { id: A.webhook },
    "webhooks.resend": { endpointId: A.webhook, deliveryId: A.webhookDelivery },
    "notifications.mark-read": { eventId: A.hiddenEvent },
    "notifications.mark-all-read": {},
  };
  const input = inputs[name];
  if (!input)
    throw new Error(`No attack input for server action "${name}": add one to tests/security/actions.int.test.ts`);
  return { ...smuggled, ...input };
}

describe("every server action", () => {
  it("is found from the code and has an attack input", () => {
    expect(actions.length).toBeGreaterThan(15);
    for (const { name } of actions) expect(() => inputAgainstA(name), name).not.toThrow();
  });

  it("refuses a caller without a session, a plain member, and a deactivated admin — and changes nothing", async () => {
    const before = await snapshotOfA();
    for (const { name, fn } of actions) {
      session.current = null;
      expect(await fn(inputAgainstA(name)), `${name} without a session`).toMatchObject({
        ok: false,
        code: "unauthenticated",
      });
      signInAs(A.org, A.plain);
      expect(await fn(inputAgainstA(name)), `${name} as a member`).toMatchObject({ ok: false, code: "forbidden" });
      signInAs(A.org, A.deactivated);
      expect(await fn(inputAgainstA(name)), `${name} as a deactivated admin`).toMatchObject({
        ok: false,
        code: "unauthenticated",
      });
    }
    expect(await snapshotOfA()).toBe(before);
  });

  it("refuses a billing admin wherever R3 does", async () => {
    const before = await snapshotOfA();
    const forbidden = actions.filter(({ fn }) => !fn[ACTION_ROLES]!.includes("billing_admin"));
    expect(forbidden.map((a) => a.name)).toEqual(
      expect.arrayContaining([
        "groups.create",
        "createApiKey",
        "members.changeRole",
        "members.deactivate",
        "webhooks.create",
        "webhooks.update",
        "webhooks.rotate-secret",
        "webhooks.delete",
        "webhooks.send-test-event",
        "webhooks.resend",
      ]),
    );
    for (const { name, fn } of forbidden) {
      signInAs(A.org, A.billingAdmin);
      expect(await fn(inputAgainstA(name)), `${name} as a billing admin`).toMatchObject({
        ok: false,
        code: "forbidden",
      });
    }
    expect(await snapshotOfA()).toBe(before);
  });

  it("lets another org's admin touch nothing of this org, even with its ids and a smuggled orgId", async () => {
    const before = await snapshotOfA();
    for (const { name, fn } of actions) {
      signInAs(B.org, B.admin);
      const result = await fn(inputAgainstA(name));
      // Creating and searching act in the caller's own org; the answer mentions nothing of org A
      // (apart from the caller's own input, which a form gets back as `values`).
      const text = JSON.stringify({ ...result, values: undefined }, (_k, v) =>
        typeof v === "bigint" ? v.toString() : v,
      );
      for (const secret of [
        A.member,
        A.other,
        A.billingGroup,
        A.group,
        A.apiKey,
        A.recipient,
        A.webhook,
        A.webhookDelivery,
        "a-hooks.example.test",
        A.hiddenEvent,
        "a.finance@example.test",
        "A Person",
        "A Finance",
        "A Reviewers",
      ]) {
        expect(text, `${name} leaked ${secret}`).not.toContain(secret);
      }
    }
    expect(await snapshotOfA()).toBe(before);
    // What B created landed in B: the smuggled orgId and role were ignored.
    const created = await testDb().execute<{ org_id: string; role: string }>(
      sql`select org_id, role from members where name = 'Smuggled'`,
    );
    expect(created).toEqual([{ org_id: B.org, role: "admin" }].slice(0, created.length));
    for (const row of created) expect(row.org_id).toBe(B.org);
    const smuggledGroups = await testDb().execute<{ org_id: string }>(
      sql`select org_id from billing_groups where name = 'Smuggled group'`,
    );
    for (const row of smuggledGroups) expect(row.org_id).toBe(B.org);
  });

  it("answers another org's admin not found for this org's webhook endpoint and delivery (R41)", async () => {
    signInAs(B.org, B.admin);
    for (const { name, fn } of actions.filter((a) => a.name.startsWith("webhooks.") && a.name !== "webhooks.create")) {
      expect(await fn(inputAgainstA(name)), name).toMatchObject({ ok: false, code: "not_found" });
    }
  });

  it("refuses a demoted admin and a session issued before sign-out on the very next call", async () => {
    const demoted = await createMember(A.org, { role: "admin" });
    const createGroup = actions.find((a) => a.name === "groups.create")!.fn;
    signInAs(A.org, demoted.id);
    await testDb().execute(sql`update members set role = 'member' where org_id = ${A.org} and id = ${demoted.id}`);
    expect(await createGroup({ name: "Demoted attempt", description: "" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });

    const signedOut = await createMember(A.org, { role: "admin" });
    signInAs(A.org, signedOut.id, Math.floor(Date.now() / 1000) - 3600);
    await testDb().execute(
      sql`update members set sessions_valid_after = now() where org_id = ${A.org} and id = ${signedOut.id}`,
    );
    expect(await createGroup({ name: "Old session attempt", description: "" })).toMatchObject({
      ok: false,
      code: "unauthenticated",
    });
    const made = await testDb().execute(sql`select 1 from groups where org_id = ${A.org} and name like '%attempt'`);
    expect(made).toHaveLength(0);
  });

  it("never applies mass-assigned fields for the caller's own org either", async () => {
    signInAs(A.org, A.admin);
    const setLimit = actions.find((a) => a.name === "members.setPersonalLimit")!.fn;
    const result = await setLimit({
      period,
      memberIds: [A.other],
      personalLimit: "12.5",
      role: "admin",
      orgId: B.org,
      billingGroupId: A.billingGroup,
    });
    expect(result).toMatchObject({ ok: true });
    const [row] = await testDb().select().from(members).where(sql`${members.id} = ${A.other}`);
    expect(row).toMatchObject({ orgId: A.org, role: "member", personalLimit: 1250n, billingGroupId: null });
  });
});

describe("a billing group viewer (R3, R33)", () => {
  it("may read only the groups granted, and may change nothing but their own read state of those", async () => {
    const other = await createBillingGroup(A.org, { name: "A Other" });
    const before = await snapshotOfA();
    signInAs(A.org, A.member); // viewer of A Finance only
    for (const { name, fn } of actions) {
      const result = await fn(inputAgainstA(name));
      if (name === "billing-groups.details") {
        expect(result, name).toMatchObject({ ok: true });
        expect(await fn({ id: other.id, period }), "details of a group not granted").toMatchObject({
          ok: false,
          code: "forbidden",
        });
      } else if (name === "notifications.mark-read") {
        // R40: an event of a group not granted is not there for the viewer (and nothing is written).
        expect(result, name).toMatchObject({ ok: false, code: "not_found" });
      } else if (name === "notifications.mark-all-read") {
        expect(result, name).toMatchObject({ ok: true, data: { marked: 0 } });
      } else {
        expect(result, `${name} as a viewer`).toMatchObject({ ok: false, code: "forbidden" });
      }
    }
    expect(await snapshotOfA()).toBe(before);
  });
});
