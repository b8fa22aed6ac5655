import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeAuditEntry, type AuditEntryForSentence } from "./sentences";

const entry = (over: Partial<AuditEntryForSentence>): AuditEntryForSentence => ({
  action: "x",
  actorLabel: "Ada Admin",
  targetType: "member",
  targetLabel: "Bo Li <bo@example.test>",
  targetId: "00000000-0000-4000-8000-000000000001",
  before: null,
  after: null,
  ...over,
});

const NO_NAMES = { targetMember: null, eventType: null, returnedMembers: [] };

const CASES: [Partial<AuditEntryForSentence>, string][] = [
  [
    {
      action: "member.created",
      after: { name: "Bo Li", email: "bo@example.test", role: "billing_admin", personalLimit: "250.5" },
    },
    "Ada Admin added Bo Li as Billing admin, with a personal usage limit of 250.50 Credits",
  ],
  [
    { action: "member.billing_group_assigned", before: { billingGroup: "Design" }, after: { billingGroup: "Sales" } },
    "Ada Admin moved Bo Li from Design to Sales",
  ],
  [
    { action: "member.billing_group_assigned", before: { billingGroup: "Sales" }, after: { billingGroup: null } },
    "Ada Admin moved Bo Li from Sales to Unassigned",
  ],
  [
    { action: "member.personal_limit_set", before: { personalLimit: null }, after: { personalLimit: "100" } },
    "Ada Admin set Bo Li's personal usage limit to 100.00 Credits (was no limit)",
  ],
  [
    { action: "member.role_changed", before: { role: "member" }, after: { role: "admin" } },
    "Ada Admin changed Bo Li's role from Member to Admin",
  ],
  [
    { action: "member.deactivated", before: { active: true }, after: { active: false, apiKeysRevoked: 2 } },
    "Ada Admin deactivated Bo Li and revoked 2 API keys",
  ],
  [{ action: "member.reactivated" }, "Ada Admin reactivated Bo Li"],
  [
    {
      action: "member.sign_in_locked",
      actorLabel: "Sign-in throttle",
      targetLabel: "bo@example.test",
      after: { scope: "this account", failures: 10, minutes: 15 },
    },
    "Sign-in throttle locked sign-in for bo@example.test for 15 minutes after 10 failed attempts (this account)",
  ],
  [
    {
      action: "billing_group.created",
      targetType: "billing_group",
      targetLabel: "Ops",
      after: { name: "Ops", periodLimit: "500" },
    },
    "Ada Admin created billing group Ops with a period limit of 500.00 Credits",
  ],
  [
    {
      action: "billing_group.updated",
      targetType: "billing_group",
      targetLabel: "Operations",
      before: { name: "Ops", description: "", periodLimit: null, defaultPersonalLimit: null },
      after: { name: "Operations", description: "Run it", periodLimit: null, defaultPersonalLimit: "10" },
    },
    "Ada Admin edited billing group Operations: renamed it from Ops to Operations; changed its description and default personal limit",
  ],
  [
    {
      action: "billing_group.period_limit_set",
      targetType: "billing_group",
      targetLabel: "Sales",
      before: { periodLimit: "500" },
      after: { periodLimit: "1000" },
    },
    "Ada Admin set Sales's period limit to 1,000.00 Credits (was 500.00)",
  ],
  [
    {
      action: "billing_group.alert_thresholds_set",
      targetType: "billing_group",
      targetLabel: "Sales",
      before: { alertThresholds: [75, 90, 100] },
      after: { alertThresholds: [50] },
    },
    "Ada Admin set Sales's alert thresholds to 50 % (were 75, 90, 100 %)",
  ],
  [
    { action: "billing_group.deleted", targetType: "billing_group", targetLabel: "Ops", before: { members: 3 } },
    "Ada Admin deleted billing group Ops; 3 members returned to Unassigned",
  ],
  [
    {
      action: "billing_group.recipient_added",
      targetLabel: "Sales",
      after: { recipient: { id: "r", email: "fin@example.test" } },
    },
    "Ada Admin added fin@example.test to Sales's statement recipients",
  ],
  [
    {
      action: "billing_group.recipient_removed",
      targetLabel: "Sales",
      before: { recipient: { id: "r", email: "fin@example.test" } },
    },
    "Ada Admin removed fin@example.test from Sales's statement recipients",
  ],
  [
    {
      action: "billing_group.statement_sent",
      targetLabel: "Sales",
      // What sendStatement stores: the number of deliveries it queued.
      after: { period: "2026-10", recipients: 2 },
    },
    "Ada Admin sent Sales's 2026-10 statement to 2 recipients",
  ],
  [
    {
      action: "billing_group.viewer_added",
      targetLabel: "Sales",
      after: { viewer: { id: "v", name: "Vi Ewer", email: "v@x" } },
    },
    "Ada Admin let Vi Ewer view Sales",
  ],
  [
    {
      action: "billing_group.viewer_removed",
      targetLabel: "Sales",
      before: { viewer: { id: "v", name: "Vi Ewer", email: "v@x" } },
    },
    "Ada Admin removed Vi Ewer's access to Sales",
  ],
  [{ action: "group.created", targetType: "group", targetLabel: "Reviewers" }, "Ada Admin created group Reviewers"],
  [
    {
      action: "group.updated",
      targetType: "group",
      targetLabel: "Reviewers",
      before: { name: "Reviewers", description: "" },
      after: { name: "Reviewers", description: "Approve access" },
    },
    "Ada Admin edited group Reviewers: changed its description",
  ],
  [
    { action: "group.deleted", targetType: "group", targetLabel: "Reviewers", before: { memberCount: 1 } },
    "Ada Admin deleted group Reviewers and its 1 membership",
  ],
  [
    {
      action: "group.members_added",
      targetType: "group",
      targetLabel: "Reviewers",
      after: {
        members: [{ name: "Bo Li" }, { name: "Cy Ng" }, { name: "Di Ro" }, { name: "Ed Yu" }, { name: "Fa Lo" }],
      },
    },
    "Ada Admin added Bo Li, Cy Ng, Di Ro and 2 more to group Reviewers",
  ],
  [
    {
      action: "group.members_added",
      targetType: "group",
      targetLabel: "Reviewers",
      after: { members: [{ name: "Bo Li" }, { name: "Cy Ng" }] },
    },
    "Ada Admin added Bo Li and Cy Ng to group Reviewers",
  ],
  [
    {
      action: "group.member_removed",
      targetType: "group",
      targetLabel: "Reviewers",
      before: { member: { id: "m", name: "Bo Li" } },
    },
    "Ada Admin removed Bo Li from group Reviewers",
  ],
  [
    {
      action: "api_key.created",
      targetType: "api_key",
      targetLabel: "ci (ll_ab12cd34)",
      after: { scopes: ["usage", "read"] },
    },
    "Ada Admin created API key ci (ll_ab12cd34) with scopes usage, read",
  ],
  [
    { action: "api_key.revoked", targetType: "api_key", targetLabel: "ci (ll_ab12cd34)" },
    "Ada Admin revoked API key ci (ll_ab12cd34)",
  ],
  [
    { action: "webhook.created", targetLabel: "https://hooks.example.test/a" },
    "Ada Admin added webhook endpoint https://hooks.example.test/a",
  ],
  [
    { action: "webhook.updated", targetLabel: "https://h/a", before: { enabled: true }, after: { enabled: false } },
    "Ada Admin disabled webhook endpoint https://h/a",
  ],
  [
    {
      action: "webhook.updated",
      targetLabel: "https://h/a",
      before: { eventTypes: ["a"] },
      after: { eventTypes: ["b"] },
    },
    "Ada Admin changed the events of webhook endpoint https://h/a",
  ],
  [
    { action: "webhook.secret_rotated", targetLabel: "https://h/a" },
    "Ada Admin rotated the signing secret of webhook endpoint https://h/a",
  ],
  [{ action: "webhook.deleted", targetLabel: "https://h/a" }, "Ada Admin deleted webhook endpoint https://h/a"],
  [
    { action: "webhook.resent", targetLabel: "https://h/a", after: { eventId: "e1" } },
    "Ada Admin resent an event to webhook endpoint https://h/a",
  ],
  [
    { action: "webhook.test_sent", targetLabel: "https://h/a" },
    "Ada Admin sent a test event to webhook endpoint https://h/a",
  ],
  [
    {
      action: "webhook.resent",
      targetLabel: "https://h/a",
      after: { eventId: "00000000-0000-4000-8000-0000000000e1" },
      names: { ...NO_NAMES, eventType: "threshold.crossed" },
    },
    "Ada Admin resent a threshold.crossed event to webhook endpoint https://h/a",
  ],
  [
    {
      action: "billing_group.period_limit_set",
      targetType: "billing_group",
      targetLabel: "Sales",
      before: { periodLimit: "1000" },
      after: { periodLimit: null },
    },
    "Ada Admin set Sales's period limit to no limit (was 1,000.00)",
  ],
  [
    {
      action: "billing_group.deleted",
      targetType: "billing_group",
      targetLabel: "Ops",
      before: { members: 5 },
      after: { deleted: true, membersReturnedToUnassigned: ["a", "b", "c", "d", "e"] },
      names: { ...NO_NAMES, returnedMembers: ["Bo Li", "Cy Ng", "Di Ro"] },
    },
    "Ada Admin deleted billing group Ops; Bo Li, Cy Ng, Di Ro and 2 more returned to Unassigned",
  ],
  [
    {
      action: "billing_group.deleted",
      targetType: "billing_group",
      targetLabel: "Ops",
      before: { members: 0 },
      after: { deleted: true, membersReturnedToUnassigned: [] },
    },
    "Ada Admin deleted billing group Ops; it had no members",
  ],
  [
    {
      action: "member.sign_in_locked",
      actorLabel: "Sign-in throttle",
      targetLabel: "bo@example.test",
      after: { scope: "this account", failures: 10, minutes: 15 },
      names: { ...NO_NAMES, targetMember: "Bo Li" },
    },
    "Sign-in throttle locked sign-in for Bo Li for 15 minutes after 10 failed attempts (this account)",
  ],
  [
    {
      action: "billing_group.created",
      actorLabel: "ci-bot",
      actorApiKeyId: "00000000-0000-4000-8000-00000000000b",
      targetType: "billing_group",
      targetLabel: "Ops",
      after: { name: "Ops", periodLimit: null },
    },
    "ci-bot (API key) created billing group Ops",
  ],
];

describe("audit entries as sentences (issue 18)", () => {
  it.each(CASES)("%o", (over, sentence) => {
    expect(describeAuditEntry(entry(over))).toBe(sentence);
  });

  it("has a sentence for every action the code records", () => {
    const recorded = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) {
          for (const match of readFileSync(file, "utf8").matchAll(
            /"((?:member|billing_group|group|api_key|webhook)\.[a-z_]+)"/g,
          ))
            recorded.add(match[1]!);
        }
      }
    };
    walk(path.join(process.cwd(), "lib"));
    const described = new Set(CASES.map(([over]) => over.action));
    const missing = [...recorded].filter((action) => !described.has(action) && !action.startsWith("webhook.delivery"));
    expect(missing).toEqual([]);
  });

  it("writes Credits in the reader's locale", () => {
    const change = entry({
      action: "billing_group.period_limit_set",
      targetLabel: "Sales",
      before: { periodLimit: "500" },
      after: { periodLimit: "12345.5" },
    });
    expect(describeAuditEntry(change, { locale: "de-DE" })).toBe(
      "Ada Admin set Sales's period limit to 12.345,50 Credits (was 500,00)",
    );
  });

  it("names a person actor without their email", () => {
    expect(
      describeAuditEntry(entry({ action: "member.reactivated", actorLabel: "Ada Admin <admin@example.com>" })),
    ).toBe("Ada Admin reactivated Bo Li");
  });

  it("falls back to the action's name for an action it does not know", () => {
    expect(describeAuditEntry(entry({ action: "thing.done", targetType: "thing", targetLabel: "T" }))).toBe(
      "Ada Admin: thing.done on thing T",
    );
  });
});
