import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { billingGroupRecipients, webhookEndpoints } from "@/db/schema";
import { now, setClock } from "@/lib/clock";
import { sealSecret, secretBoxKey } from "@/lib/crypto/secret-box";
import { startSmtpSink, type ReceivedMail, type SmtpSink } from "@/lib/mail/sink";
import { periodEnd, periodJustClosed } from "@/lib/statements/rules";
import { usageRequestHash } from "@/lib/usage/rules";
import { startWebhookReceiver } from "@/lib/webhooks/receiver";
import { mailEnv, TEST_MAIL_FROM } from "@/tests/support/mail-env";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";
import { ROOT } from "@/tests/support/server-actions";

// The job runner for real (R39): pg-boss on the runtime login, workers in this process and in
// child processes (`scripts/worker.ts`, what `npm run worker` runs), a real SMTP server. The
// clock is the real one: the period just closed is last month, whatever today is.

vi.mock("@/lib/env", () => import("@/tests/support/mail-env"));

const { startJobRunner } = await import("./runner");
const { queueJob } = await import("./boss");
const { QUEUES } = await import("./queues");
const { closeMailTransport } = await import("@/lib/mail/transport");
const { recordUsage } = await import("@/lib/usage/service");
const { encryptionKeyMaterial } = await import("@/lib/env");

let sink: SmtpSink;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  sink = await startSmtpSink({ port: 0 });
  mailEnv.SMTP_URL = sink.url;
  // Files run one after another on one database, and earlier ones leave webhook deliveries due to
  // addresses that never answer (https://10.0.0.1, hooks.example.com). The runners here allow
  // private addresses and wait minutes for an answer, so woken by the tick those leftovers would
  // hold every delivery slot and starve this file's orgs. They are not this file's: park them.
  await testDb().execute(
    sql`update event_deliveries set next_attempt_at = 'infinity' where status in ('queued', 'retrying')`,
  );
});
afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
  setClock(null);
  sink.setReplyDelay(0);
  sink.clear();
});
afterAll(async () => {
  closeMailTransport();
  await sink.close();
});

/** An org whose groups have recipients since before the period just closed ended. */
async function orgWithRecipients(name: string, groups: number, perGroup: number): Promise<string[]> {
  const org = await createOrg(name, new Date(periodEnd(periodJustClosed(now())).getTime() - 40 * 86_400_000));
  const createdAt = new Date(periodEnd(periodJustClosed(now())).getTime() - 86_400_000);
  const emails: string[] = [];
  for (let g = 0; g < groups; g++) {
    const group = await createBillingGroup(org.id, { name: `${name} ${g}` });
    const list = Array.from({ length: perGroup }, (_, r) => `${name.toLowerCase()}-${g}-${r}@example.com`);
    await testDb()
      .insert(billingGroupRecipients)
      .values(list.map((email) => ({ orgId: org.id, billingGroupId: group.id, email, createdAt })));
    emails.push(...list);
  }
  return emails;
}

function countTo(messages: ReceivedMail[], email: string): ReceivedMail[] {
  return messages.filter((m) => m.envelope.to.includes(email));
}

/** `npm run worker` as a child process, with this run's database and the sink. */
function startWorkerProcess(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(
    path.join(ROOT, "node_modules", ".bin", "tsx"),
    ["--conditions=react-server", path.join(ROOT, "scripts", "worker.ts")],
    {
      cwd: ROOT,
      env: { ...process.env, SMTP_URL: sink.url, MAIL_FROM: TEST_MAIL_FROM },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.add(child);
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("job runner (R39)", () => {
  it("two workers on one database give each recipient exactly one statement", async () => {
    const emails = await orgWithRecipients("Pair", 5, 2);
    const first = await startJobRunner();
    const second = await startJobRunner();
    try {
      // The minute's tick, as the cron would queue it.
      await queueJob(QUEUES.statementsTick, {}, "tick");
      await sink.waitForMessages(emails.length, 30_000);
      // Anything sent twice would arrive now.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      for (const email of emails) expect(countTo(sink.messages, email), email).toHaveLength(1);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it("a worker process killed after handing half the messages over, then restarted, leaves nobody missed", async () => {
    const emails = await orgWithRecipients("Killed", 1, 6);
    // A slow SMTP server: each message is kept, then answered 0.5 s later.
    sink.setReplyDelay(500);
    const worker = startWorkerProcess();
    await until(() => worker.output().includes("worker running"), 60_000, "the worker to start");
    await queueJob(QUEUES.statementsTick, {}, "tick");
    await sink.waitForMessages(3, 30_000);
    worker.child.kill("SIGKILL");
    await worker.exited;
    const beforeRestart = sink.messages.length;
    expect(beforeRestart).toBeLessThan(emails.length);

    // The restart, once the dead worker's claim has run out (15 minutes).
    sink.setReplyDelay(0);
    setClock(new Date(Date.now() + 16 * 60_000));
    const restarted = await startJobRunner();
    try {
      await queueJob(QUEUES.statementsTick, {}, "tick");
      await until(
        () => emails.every((email) => countTo(sink.messages, email).length > 0),
        30_000,
        "every recipient's statement",
      );
    } finally {
      await restarted.stop();
    }
    // Only the message in flight when it died may have gone twice, and then under one Message-ID.
    const twice = emails.filter((email) => countTo(sink.messages, email).length > 1);
    expect(twice.length).toBeLessThanOrEqual(1);
    for (const email of twice) {
      const ids = new Set(countTo(sink.messages, email).map((m) => m.messageId));
      expect(ids.size).toBe(1);
    }
  });

  it("`npm run worker` stops cleanly on SIGTERM", async () => {
    const worker = startWorkerProcess();
    await until(() => worker.output().includes("worker running"), 60_000, "the worker to start");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });
});

describe("job runner (R40, R41)", () => {
  it("a usage event crossing a threshold reaches a webhook receiver, signed, within seconds", async () => {
    const secret = "whsec_runner-test";
    const receiver = await startWebhookReceiver({ secret });
    mailEnv.LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE = true;
    const runner = await startJobRunner();
    try {
      const org = await createOrg("Alerts");
      const group = await createBillingGroup(org.id, { name: "Research", periodLimit: 1_000n, alertThresholds: [50] });
      const member = await createMember(org.id, { billingGroupId: group.id, personalLimit: 10_000n });
      await testDb()
        .insert(webhookEndpoints)
        .values({
          orgId: org.id,
          url: receiver.url,
          eventTypes: ["threshold.crossed"],
          secretCiphertext: sealSecret(secretBoxKey(encryptionKeyMaterial()), secret),
          createdAt: now(),
          updatedAt: now(),
        });

      const outcome = await recordUsage({
        orgId: org.id,
        apiKeyId: null,
        member: member.email,
        credits: 600n,
        idempotencyKey: randomUUID(),
        requestHash: usageRequestHash({ member: member.email, credits: 600n }),
      });
      expect(outcome.kind).toBe("accepted");
      // The wake-up the usage service sends after its commit (added with it; queued here meanwhile).
      await queueJob(QUEUES.eventsDispatch, { orgId: org.id }, org.id);
      await receiver.waitFor(1, 60_000);

      const [delivery] = receiver.received;
      expect(delivery!.body).toMatchObject({
        type: "threshold.crossed",
        data: { billingGroup: { id: group.id, name: "Research" }, threshold: 50, used: "6", limit: "10" },
      });
      expect(delivery!.eventId).toBe(delivery!.body!.id);
      expect(delivery!.verified).toBe(true);
      // Delivered once.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(receiver.received).toHaveLength(1);
    } finally {
      await runner.stop();
      mailEnv.LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE = false;
      await receiver.close();
    }
  });

  it("an org's endpoint that hangs holds neither that org's next alert nor another org's webhooks", async () => {
    mailEnv.LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE = true;
    // Org A's endpoint holds every request until released; org B's answers at once.
    const held: Array<() => void> = [];
    const slow = await startWebhookReceiver({
      responder: () => new Promise((resolve) => held.push(() => resolve({ status: 204 }))),
    });
    const quick = await startWebhookReceiver({});
    // Held requests stay open for the whole test: "before the sender gave up" is then an order, not a race.
    const runner = await startJobRunner({ webhookTimeoutMs: 300_000 });
    try {
      const crossing = async (url: string) => {
        const org = await createOrg(`Alerts ${randomUUID().slice(0, 6)}`);
        const group = await createBillingGroup(org.id, {
          name: "Research",
          periodLimit: 100n,
          alertThresholds: [50, 80],
        });
        const member = await createMember(org.id, { billingGroupId: group.id, personalLimit: 10_000n });
        await testDb()
          .insert(webhookEndpoints)
          .values({
            orgId: org.id,
            url,
            eventTypes: ["threshold.crossed"],
            secretCiphertext: sealSecret(secretBoxKey(encryptionKeyMaterial()), "whsec_runner-test"),
            createdAt: now(),
            updatedAt: now(),
          });
        const meter = async (credits: bigint) => {
          const outcome = await recordUsage({
            orgId: org.id,
            apiKeyId: null,
            member: member.email,
            credits,
            idempotencyKey: randomUUID(),
            requestHash: usageRequestHash({ member: member.email, credits }),
          });
          expect(outcome.kind).toBe("accepted");
          await queueJob(QUEUES.eventsDispatch, { orgId: org.id }, org.id);
        };
        return { orgId: org.id, meter };
      };
      const { orgId: orgA, meter: meterA } = await crossing(slow.url);
      const { meter: meterB } = await crossing(quick.url);

      // A's first alert is in flight and held: A's delivery run has a slot waiting on it.
      await meterA(60n);
      await slow.waitFor(1, 90_000);
      // A crosses its next threshold: a woken slot of the same run sends it, the first still held.
      await meterA(25n);
      await slow.waitFor(2, 90_000);
      expect(slow.received.map((r) => r.body?.data?.threshold)).toEqual([50, 80]);
      // A wake-up from the web server (a Resend, say) for A while A's run is held: it must not
      // keep the queue from handing out B's job.
      await queueJob(QUEUES.eventsDeliver, { orgId: orgA }, orgA);
      // B crosses: another worker delivers B's webhook while both of A's requests are still held.
      await meterB(60n);
      await quick.waitFor(1, 90_000);
      expect(quick.received[0]!.body).toMatchObject({ type: "threshold.crossed", data: { threshold: 50 } });
      expect(slow.received.map((r) => r.senderHungUp)).toEqual([false, false]);
    } finally {
      slow.setResponder(() => ({ status: 204 }));
      for (const release of held.splice(0)) release();
      await runner.stop();
      mailEnv.LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE = false;
      await slow.close();
      await quick.close();
    }
  }, 300_000);
});
