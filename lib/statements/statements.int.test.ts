import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { billingGroupRecipients } from "@/db/schema";
import { setClock } from "@/lib/clock";
import { startSmtpSink, type ReceivedMail, type SmtpSink } from "@/lib/mail/sink";
import { mailEnv } from "@/tests/support/mail-env";
import { createBillingGroup, createMember, createOrg, insertRollups, testDb } from "@/tests/support/db";

// R39 end to end below the UI: the period close queues, the sender hands over to a real SMTP
// server (the sink, in this process), and the delivery rows say what happened.

vi.mock("@/lib/env", () => import("@/tests/support/mail-env"));

// Makes reading a statement's group fail on demand (the sender reads while it claims).
const read = vi.hoisted(() => ({ fails: false }));
vi.mock("@/lib/export/queries", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/export/queries")>();
  return {
    ...original,
    resolveBillScope: async (...args: Parameters<typeof original.resolveBillScope>) => {
      if (read.fails) throw new Error("statement figures unavailable");
      return original.resolveBillScope(...args);
    },
  };
});

const { runStatementTick } = await import("./period-close");
const { sendDueStatements } = await import("./sender");
const { closeMailTransport } = await import("@/lib/mail/transport");
const { billCsvResponse } = await import("@/lib/export/service");
const { getStatementDeliveries } = await import("./access");
const { memberPrincipal } = await import("@/lib/auth/principal");

const BOUNDARY = new Date("2026-12-01T00:00:00Z");
const JUST_AFTER = new Date("2026-12-01T00:00:40Z");
const minutes = (n: number) => n * 60_000;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink({ port: 0 });
  mailEnv.SMTP_URL = sink.url;
});
afterAll(async () => {
  closeMailTransport();
  await sink.close();
  setClock(null);
});
afterEach(() => {
  sink.setAccepting(true);
  sink.clear();
});

type Target = { orgId: string; billingGroupId: string | null; period: string };

/** One worker's minute: the tick, then every send it woke. */
async function workerMinute(now: Date): Promise<void> {
  setClock(now);
  const woken: Target[] = [];
  await runStatementTick({ wake: async (target) => void woken.push(target) });
  for (const target of woken) await sendDueStatements(target);
}

async function addRecipients(
  orgId: string,
  billingGroupId: string | null,
  emails: string[],
  createdAt = at(BOUNDARY, -minutes(60 * 24)),
) {
  await testDb()
    .insert(billingGroupRecipients)
    .values(emails.map((email) => ({ orgId, billingGroupId, email, createdAt })));
}

async function deliveries(orgId: string) {
  return testDb().execute<{
    id: string;
    email: string;
    period: string;
    status: string;
    attempts: number;
    last_error: string | null;
    billing_group_id: string | null;
    lease_until: Date | string | null;
  }>(
    sql`select id, email, period, status, attempts, last_error, billing_group_id, lease_until from statement_deliveries where org_id = ${orgId} order by email`,
  );
}

function messagesTo(messages: ReceivedMail[], email: string) {
  // Mailers lower-case an address's domain; the local part is kept as typed.
  return messages.filter((m) => m.envelope.to.some((to) => to.toLowerCase() === email.toLowerCase()));
}

async function exportOf(orgId: string, billingGroup: string, period: string) {
  const response = await billCsvResponse({ orgId, period, billingGroup });
  const disposition = response.headers.get("content-disposition") ?? "";
  return { bytes: Buffer.from(await response.arrayBuffer()), fileName: /filename="([^"]+)"/.exec(disposition)?.[1] };
}

describe("period close statements (R39)", () => {
  let orgId: string;
  const groups: Record<string, string> = {};

  beforeAll(async () => {
    const org = await createOrg("Statements Fixture", new Date("2026-08-03T00:00:00Z"));
    orgId = org.id;
    const research = await createBillingGroup(orgId, { name: "Research, EU" });
    const quiet = await createBillingGroup(orgId, { name: "Quiet" });
    const ops = await createBillingGroup(orgId, { name: "Ops" });
    Object.assign(groups, { research: research.id, quiet: quiet.id, ops: ops.id });
    const ann = await createMember(orgId, { name: "Ann", email: "ann@example.com" });
    const bob = await createMember(orgId, { name: "=Bob", email: "bob@example.com" });
    const cy = await createMember(orgId, { name: "Cy", email: "cy@example.com" });
    await insertRollups(orgId, [
      { memberId: ann.id, billingGroupId: research.id, credits: 1250n, period: "2026-11" },
      { memberId: bob.id, billingGroupId: research.id, credits: 5n, period: "2026-11" },
      { memberId: cy.id, billingGroupId: null, credits: 300n, period: "2026-11" },
      { memberId: ann.id, billingGroupId: research.id, credits: 999n, period: "2026-10" },
    ]);
    await addRecipients(orgId, research.id, ["finance@example.com", "Controller@Example.com"]);
    await addRecipients(orgId, null, ["unassigned-bills@example.com"]);
    // Ops has recipients but was deleted before November began: no statement for it.
    await addRecipients(orgId, ops.id, ["ops@example.com"]);
    await testDb().execute(
      sql`update billing_groups set deleted_at = '2026-10-15T00:00:00Z' where org_id = ${orgId} and id = ${ops.id}`,
    );
    // Added after the period ended: not a recipient of its close.
    await addRecipients(orgId, research.id, ["late@example.com"], at(BOUNDARY, 10_000));
  });

  it("mails each recipient the group's statement, its CSV byte-identical to Download CSV; Unassigned too", async () => {
    await workerMinute(JUST_AFTER);
    const messages = await sink.waitForMessages(3, 10_000);
    expect(messages.flatMap((m) => m.envelope.to).sort()).toEqual([
      "Controller@example.com",
      "finance@example.com",
      "unassigned-bills@example.com",
    ]);

    const research = await exportOf(orgId, groups.research!, "2026-11");
    for (const email of ["finance@example.com", "Controller@Example.com"]) {
      const [message] = messagesTo(messages, email);
      expect(message!.subject).toBe("Ledgerline statement: Research, EU, 2026-11");
      expect(message!.from).toContain("statements@example.com");
      expect(message!.attachments).toHaveLength(1);
      expect(message!.attachments[0]!.filename).toBe(research.fileName);
      expect(message!.attachments[0]!.content.equals(research.bytes)).toBe(true);
      expect(message!.text).toContain("Total Credits: 12.55");
      expect(message!.text).toContain("Members with usage: 2 members");
    }
    const unassigned = await exportOf(orgId, "unassigned", "2026-11");
    const [toUnassigned] = messagesTo(messages, "unassigned-bills@example.com");
    expect(toUnassigned!.subject).toBe("Ledgerline statement: Unassigned, 2026-11");
    expect(toUnassigned!.attachments[0]!.filename).toBe("billing-group-bills_2026-11_unassigned.csv");
    expect(toUnassigned!.attachments[0]!.content.equals(unassigned.bytes)).toBe(true);

    const rows = await deliveries(orgId);
    expect(rows.map((r) => [r.email, r.period, r.status, r.attempts])).toEqual([
      ["Controller@Example.com", "2026-11", "sent", 1],
      ["finance@example.com", "2026-11", "sent", 1],
      ["unassigned-bills@example.com", "2026-11", "sent", 1],
    ]);
    // A stable Message-ID per recipient, group and period: the delivery's own.
    for (const row of rows) {
      expect(messagesTo(messages, row.email)[0]!.messageId).toBe(`<statement.${row.id}@example.com>`);
    }
  });

  it("sends nothing to a group without recipients, a group deleted before the period, or an older period", async () => {
    const sent = sink.messages;
    expect(sent).toHaveLength(0); // cleared after the first test; nothing new arrives below
    await workerMinute(at(JUST_AFTER, minutes(1)));
    await workerMinute(at(JUST_AFTER, minutes(90)));
    expect(sink.messages).toHaveLength(0);
    const rows = await deliveries(orgId);
    expect(rows.map((r) => r.period)).toEqual(["2026-11", "2026-11", "2026-11"]);
    expect(rows.some((r) => r.billing_group_id === groups.quiet || r.billing_group_id === groups.ops)).toBe(false);
    const closes = await testDb().execute<{ period: string; deliveries: number }>(
      sql`select period, deliveries from statement_period_closes where org_id = ${orgId}`,
    );
    expect(closes.map((c) => [c.period, Number(c.deliveries)])).toEqual([["2026-11", 3]]);
  });
});

describe("exactly once under concurrency and crashes (R39)", () => {
  async function orgWithRecipients(name: string, groupCount: number, perGroup: number) {
    const org = await createOrg(name, new Date("2026-09-01T00:00:00Z"));
    const emails: string[] = [];
    for (let g = 0; g < groupCount; g++) {
      const group = await createBillingGroup(org.id, { name: `${name} ${g}` });
      const list = Array.from({ length: perGroup }, (_, r) => `${name.toLowerCase()}-${g}-${r}@example.com`);
      await addRecipients(org.id, group.id, list);
      emails.push(...list);
    }
    return { orgId: org.id, emails };
  }

  it("two workers racing over the same minute give each recipient exactly one message", async () => {
    const { orgId, emails } = await orgWithRecipients("Race", 4, 3);
    const otherOrg = await orgWithRecipients("Race-other", 2, 2);
    await Promise.all([workerMinute(JUST_AFTER), workerMinute(JUST_AFTER)]);
    // Both workers also pick up whatever the other one woke.
    await Promise.all([workerMinute(at(JUST_AFTER, minutes(1))), workerMinute(at(JUST_AFTER, minutes(1)))]);
    const all = [...emails, ...otherOrg.emails];
    await sink.waitForMessages(all.length, 10_000);
    for (const email of all) expect(messagesTo(sink.messages, email), email).toHaveLength(1);
    expect(sink.messages).toHaveLength(all.length);
    expect((await deliveries(orgId)).every((r) => r.status === "sent")).toBe(true);
  });

  it("a worker that dies after handing half the messages over leaves nobody missed once another runs", async () => {
    const { orgId, emails } = await orgWithRecipients("Crash", 1, 6);
    setClock(JUST_AFTER);
    const woken: Target[] = [];
    await runStatementTick({ wake: async (target) => void woken.push(target) });
    const target = woken.find((t) => t.orgId === orgId)!;
    // The dying worker: its SMTP server takes three messages; right after handing over the third,
    // before it can record it, the worker stops for good (its promise never settles).
    const { mailTransport } = await import("@/lib/mail/transport");
    let handed = 0;
    const dying = {
      async sendMail(message: Parameters<ReturnType<typeof mailTransport>["sendMail"]>[0]) {
        await mailTransport().sendMail(message);
        handed += 1;
        if (handed === 3) await new Promise(() => {});
      },
    };
    void sendDueStatements(target, { mailer: dying });
    await sink.waitForMessages(3, 10_000);
    // Its lease holds the others meanwhile: a second worker at once sends nothing twice.
    await workerMinute(at(JUST_AFTER, minutes(1)));
    expect(sink.messages).toHaveLength(3);
    // After the lease runs out, the next worker's minute sends the rest.
    await workerMinute(at(JUST_AFTER, minutes(17)));
    await sink.waitForMessages(7, 10_000);
    for (const email of emails) expect(messagesTo(sink.messages, email).length, email).toBeGreaterThanOrEqual(1);
    // Only the message whose hand-off was never recorded went twice, under the same Message-ID.
    const twice = emails.filter((email) => messagesTo(sink.messages, email).length === 2);
    expect(twice).toHaveLength(1);
    const [first, second] = messagesTo(sink.messages, twice[0]!);
    expect(first!.messageId).toBe(second!.messageId);
    expect((await deliveries(orgId)).every((r) => r.status === "sent")).toBe(true);
  });
});

describe("delivery failures (R39)", () => {
  it("retries while the SMTP server refuses, sends when it is back, and fails after 24 hours", async () => {
    const org = await createOrg("Flaky", new Date("2026-09-01T00:00:00Z"));
    const group = await createBillingGroup(org.id, { name: "Flaky group" });
    await addRecipients(org.id, group.id, ["patient@example.com"]);
    sink.setAccepting(false);
    await workerMinute(JUST_AFTER);
    let [row] = await deliveries(org.id);
    expect(row).toMatchObject({ status: "retrying", attempts: 1 });
    expect(row!.last_error).toMatch(/451/);

    // Not due again before its backoff (1 minute), then tried again and refused again.
    await workerMinute(at(JUST_AFTER, 30_000));
    expect((await deliveries(org.id))[0]!.attempts).toBe(1);
    await workerMinute(at(JUST_AFTER, minutes(1)));
    expect((await deliveries(org.id))[0]).toMatchObject({ status: "retrying", attempts: 2 });

    sink.setAccepting(true);
    await workerMinute(at(JUST_AFTER, minutes(3)));
    [row] = await deliveries(org.id);
    expect(row).toMatchObject({ status: "sent", attempts: 3, last_error: null });
    expect(messagesTo(sink.messages, "patient@example.com")).toHaveLength(1);
  });

  it("gives up after the retry window and shows the last error in the delivery log", async () => {
    const org = await createOrg("Dead letter", new Date("2026-09-01T00:00:00Z"));
    const group = await createBillingGroup(org.id, { name: "Unlucky" });
    const admin = await createMember(org.id, { role: "admin", email: "admin@dead-letter.example.com" });
    await addRecipients(org.id, group.id, ["unlucky@example.com"]);
    sink.setAccepting(false);
    await workerMinute(JUST_AFTER);
    // Hourly at most after the first few: walk the clock through a day of attempts.
    for (let minute = 1; minute <= 24 * 60 + 60; minute += 30) await workerMinute(at(JUST_AFTER, minutes(minute)));
    const [row] = await deliveries(org.id);
    expect(row!.status).toBe("failed");
    expect(row!.attempts).toBeGreaterThan(20);
    const log = await getStatementDeliveries(
      memberPrincipal({
        ...admin,
        role: "admin",
        orgName: "Dead letter",
        orgCreatedAt: new Date("2026-09-01T00:00:00Z"),
      }),
      { billingGroup: group.id },
    );
    expect(log.emailConfigured).toBe(true);
    expect(log.deliveries).toEqual([
      expect.objectContaining({
        email: "unlucky@example.com",
        period: "2026-11",
        status: "failed",
        trigger: "period_close",
        nextAttemptAt: null,
        lastError: expect.stringMatching(/451/),
      }),
    ]);
    expect(sink.messages).toHaveLength(0);
  });
});

describe("a statement that cannot be read (R39)", () => {
  let orgId: string;
  let target: Target;

  beforeAll(async () => {
    const org = await createOrg("Unreadable", new Date("2026-09-01T00:00:00Z"));
    orgId = org.id;
    const group = await createBillingGroup(orgId, { name: "Unreadable group" });
    await addRecipients(orgId, group.id, ["a@example.com", "b@example.com"]);
    setClock(JUST_AFTER);
    const woken: Target[] = [];
    await runStatementTick({ wake: async (t) => void woken.push(t) });
    target = woken.find((t) => t.orgId === orgId)!;
  });
  afterEach(() => {
    read.fails = false;
  });

  it("counts a failed attempt for each claimed delivery, mails nothing, and sends on the next try", async () => {
    read.fails = true;
    expect(await sendDueStatements(target)).toEqual({ sent: 0, retrying: 2, failed: 0 });
    expect(sink.messages).toHaveLength(0);
    const failed = await deliveries(orgId);
    expect(failed.map((r) => [r.email, r.status, r.attempts, r.last_error, r.lease_until])).toEqual([
      ["a@example.com", "retrying", 1, "statement figures unavailable", null],
      ["b@example.com", "retrying", 1, "statement figures unavailable", null],
    ]);

    read.fails = false;
    setClock(at(JUST_AFTER, minutes(2))); // past the first retry's one-minute wait
    expect(await sendDueStatements(target)).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(sink.messages.flatMap((m) => m.envelope.to).sort()).toEqual(["a@example.com", "b@example.com"]);
    expect((await deliveries(orgId)).map((r) => [r.status, r.attempts])).toEqual([
      ["sent", 2],
      ["sent", 2],
    ]);
  });

  it("records nothing when it claims nothing, even if the read fails", async () => {
    read.fails = true;
    const before = await deliveries(orgId);
    setClock(at(JUST_AFTER, minutes(3)));
    expect(await sendDueStatements(target)).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await deliveries(orgId)).toEqual(before);
    expect(sink.messages).toHaveLength(0);
  });
});

describe("without SMTP_URL (R39)", () => {
  it("sends nothing and records no close, so configuring SMTP later still mails the period just closed", async () => {
    const org = await createOrg("Unconfigured", new Date("2026-09-01T00:00:00Z"));
    const group = await createBillingGroup(org.id, { name: "Waiting" });
    await addRecipients(org.id, group.id, ["later@example.com"]);
    const url = mailEnv.SMTP_URL;
    mailEnv.SMTP_URL = undefined;
    try {
      await workerMinute(JUST_AFTER);
      expect(await deliveries(org.id)).toHaveLength(0);
    } finally {
      mailEnv.SMTP_URL = url;
    }
    await workerMinute(at(JUST_AFTER, minutes(60 * 24 * 3)));
    await sink.waitForMessages(1, 10_000);
    expect(messagesTo(sink.messages, "later@example.com")).toHaveLength(1);
  });
});
