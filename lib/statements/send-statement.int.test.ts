import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { billingGroupRecipients, billingGroupViewers } from "@/db/schema";
import { setClock } from "@/lib/clock";
import { startSmtpSink, type SmtpSink } from "@/lib/mail/sink";
import { mailEnv } from "@/tests/support/mail-env";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";

// `Send Statement` (R39) through the access layer: who may, for which period, and what it queues.

vi.mock("@/lib/env", () => import("@/tests/support/mail-env"));

const { sendStatement, getStatementDeliveries } = await import("./access");
const { sendDueStatements } = await import("./sender");
const { memberPrincipal } = await import("@/lib/auth/principal");
const { closeMailTransport } = await import("@/lib/mail/transport");

const NOW = new Date("2026-12-10T09:00:00Z");
let sink: SmtpSink;
let orgId: string;
let groupId: string;
let emptyGroupId: string;
const principals: Record<"admin" | "billing" | "member" | "viewer", ReturnType<typeof memberPrincipal>> = {} as never;

beforeAll(async () => {
  sink = await startSmtpSink({ port: 0 });
  mailEnv.SMTP_URL = sink.url;
  setClock(NOW);
  const org = await createOrg("Send Statement", new Date("2026-09-15T00:00:00Z"));
  orgId = org.id;
  groupId = (await createBillingGroup(orgId, { name: "Platform" })).id;
  emptyGroupId = (await createBillingGroup(orgId, { name: "No one" })).id;
  await testDb()
    .insert(billingGroupRecipients)
    .values([
      { orgId, billingGroupId: groupId, email: "a@example.com" },
      { orgId, billingGroupId: groupId, email: "b@example.com" },
      { orgId, billingGroupId: null, email: "u@example.com" },
    ]);
  for (const role of ["admin", "billing", "member", "viewer"] as const) {
    const member = await createMember(orgId, {
      role: role === "billing" ? "billing_admin" : role === "viewer" ? "member" : role,
    });
    principals[role] = memberPrincipal({ ...member, orgName: org.name, orgCreatedAt: org.createdAt });
  }
  await testDb()
    .insert(billingGroupViewers)
    .values({ orgId, billingGroupId: groupId, memberId: principals.viewer.member.id });
});
afterEach(() => sink.setAccepting(true));
afterAll(async () => {
  closeMailTransport();
  await sink.close();
  setClock(null);
});

async function counts() {
  const [row] = await testDb().execute<{ deliveries: number; audits: number }>(sql`
    select (select count(*)::int from statement_deliveries where org_id = ${orgId}) as deliveries,
           (select count(*)::int from audit_log where org_id = ${orgId} and action = 'billing_group.statement_sent') as audits`);
  return row!;
}

describe("Send Statement (R39)", () => {
  it("queues one email per recipient for a closed period, audited, and sends them", async () => {
    const result = await sendStatement(principals.admin, { billingGroup: groupId, period: "2026-11" });
    expect(result).toEqual({ period: "2026-11", deliveries: 2 });
    expect(await counts()).toEqual({ deliveries: 2, audits: 1 });
    const outcome = await sendDueStatements({ orgId, billingGroupId: groupId, period: "2026-11" });
    expect(outcome).toEqual({ sent: 2, retrying: 0, failed: 0 });
    const messages = await sink.waitForMessages(2, 10_000);
    expect(messages.map((m) => m.subject)).toEqual([
      "Ledgerline statement: Platform, 2026-11",
      "Ledgerline statement: Platform, 2026-11",
    ]);
    const log = await getStatementDeliveries(principals.viewer, { billingGroup: groupId });
    expect(log.deliveries.map((d) => [d.email, d.status, d.trigger])).toEqual([
      ["a@example.com", "sent", "manual"],
      ["b@example.com", "sent", "manual"],
    ]);
  });

  it("works for Unassigned and for billing admins", async () => {
    expect(await sendStatement(principals.billing, { billingGroup: "unassigned", period: "2026-10" })).toEqual({
      period: "2026-10",
      deliveries: 1,
    });
  });

  it("does not queue a second email to a recipient whose earlier one is still pending; a later press sends anew", async () => {
    sink.setAccepting(false);
    await sendStatement(principals.admin, { billingGroup: groupId, period: "2026-10" });
    await sendDueStatements({ orgId, billingGroupId: groupId, period: "2026-10" });
    const before = await counts();
    // Pressed again while both are retrying: nothing new, the pending ones are due now.
    expect(await sendStatement(principals.admin, { billingGroup: groupId, period: "2026-10" })).toEqual({
      period: "2026-10",
      deliveries: 2,
    });
    expect((await counts()).deliveries).toBe(before.deliveries);
    sink.setAccepting(true);
    expect(await sendDueStatements({ orgId, billingGroupId: groupId, period: "2026-10" })).toMatchObject({ sent: 2 });
    // Once sent, a new press is a new email (its own Message-ID).
    await sendStatement(principals.admin, { billingGroup: groupId, period: "2026-10" });
    expect((await counts()).deliveries).toBe(before.deliveries + 2);
  });

  it("refuses the current and future periods, periods before the org, groups without recipients and unknown groups; nothing changes", async () => {
    const before = await counts();
    await expect(sendStatement(principals.admin, { billingGroup: groupId, period: "2026-12" })).rejects.toThrow(
      /has not closed yet/,
    );
    await expect(sendStatement(principals.admin, { billingGroup: groupId, period: "2027-01" })).rejects.toThrow(
      /has not closed yet/,
    );
    await expect(sendStatement(principals.admin, { billingGroup: groupId, period: "2026-08" })).rejects.toThrow(
      /period must be/,
    );
    await expect(sendStatement(principals.admin, { billingGroup: emptyGroupId, period: "2026-11" })).rejects.toThrow(
      /no recipients/,
    );
    const stranger = (await createBillingGroup((await createOrg()).id, { name: "Elsewhere" })).id;
    await expect(sendStatement(principals.admin, { billingGroup: stranger, period: "2026-11" })).rejects.toThrow(
      /no longer exists/,
    );
    expect(await counts()).toEqual(before);
  });

  it("refuses plain members and viewers, and everyone when SMTP is not configured; nothing changes", async () => {
    const before = await counts();
    for (const who of [principals.member, principals.viewer]) {
      await expect(sendStatement(who, { billingGroup: groupId, period: "2026-11" })).rejects.toMatchObject({
        code: "forbidden",
      });
    }
    await expect(getStatementDeliveries(principals.member, { billingGroup: groupId })).rejects.toMatchObject({
      code: "forbidden",
    });
    const url = mailEnv.SMTP_URL;
    mailEnv.SMTP_URL = undefined;
    try {
      await expect(sendStatement(principals.admin, { billingGroup: groupId, period: "2026-11" })).rejects.toThrow(
        /Email delivery is not configured/,
      );
      expect((await getStatementDeliveries(principals.admin, { billingGroup: groupId })).emailConfigured).toBe(false);
    } finally {
      mailEnv.SMTP_URL = url;
    }
    expect(await counts()).toEqual(before);
  });
});
