import type http from "node:http";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { billingGroupRecipients, events, webhookEndpoints } from "@/db/schema";
import type { AlertEventType, EventType } from "@/db/schema/events";
import { setClock } from "@/lib/clock";
import { sealSecret, secretBoxKey } from "@/lib/crypto/secret-box";
import { startSmtpSink, type SmtpSink } from "@/lib/mail/sink";
import { startWebhookReceiver } from "@/lib/webhooks/receiver";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, verifySignature } from "@/lib/webhooks/signature";
import { createBillingGroup, createOrg, testDb } from "@/tests/support/db";
import { mailEnv } from "@/tests/support/mail-env";

// R40/R41 below the UI: events fanned out to deliveries, the engine sending them to real local
// receivers (node:http servers on port 0) and to the SMTP sink, and the delivery rows and their
// attempts saying what happened. Webhooks may reach private addresses here unless a test says not.

vi.mock("@/lib/env", () => import("@/tests/support/mail-env"));

// A host name that resolves to loopback (a name re-pointed after it was saved): only the send-time
// lookup can catch it, since the URL itself looks public.
vi.mock("node:dns", async (importOriginal) => {
  const dns = await importOriginal<typeof import("node:dns")>();
  const lookup = ((hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
    if (hostname === "rebound.example.test") {
      const all = (options as { all?: boolean }).all;
      return all ? callback(null, [{ address: "127.0.0.1", family: 4 }]) : callback(null, "127.0.0.1", 4);
    }
    return (dns.lookup as (...args: unknown[]) => void)(hostname, options, callback);
  }) as typeof dns.lookup;
  return { ...dns, default: { ...dns, lookup }, lookup };
});

const { dispatchOrgEvents } = await import("./dispatch");
const { deliverDueEvents } = await import("./deliver");
const { runEventsTick } = await import("./tick");
const { encryptionKeyMaterial } = await import("@/lib/env");
const { closeMailTransport } = await import("@/lib/mail/transport");

const BASE = new Date("2026-12-10T12:00:00Z");
const minutes = (n: number) => n * 60_000;
const at = (ms: number) => new Date(BASE.getTime() + ms);
const SECRET = "whsec_integration-test-secret";

type Received = { headers: http.IncomingHttpHeaders; body: string; receivedAt: number };
type Receiver = {
  url: string;
  port: number;
  requests: Received[];
  connections(): number;
  close(): Promise<void>;
};
/** What to answer next (the last one keeps answering); `hang` never answers; a gate answers when opened. */
type Scripted = number | "hang" | { redirect: string } | Promise<number>;

const receivers: Receiver[] = [];

/** lib/webhooks/receiver.ts answering from a script, its requests in the shape these tests read. */
async function startReceiver(answers: Scripted[] = [200]): Promise<Receiver> {
  const inner = await startWebhookReceiver({
    responder: async () => {
      const next = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (next === "hang") return "hang";
      if (typeof next === "number") return { status: next, body: "x".repeat(200 * 1024) }; // more than the sender reads
      if (next instanceof Promise) return { status: await next };
      return { status: 302, headers: { Location: next.redirect } };
    },
  });
  const receiver: Receiver = {
    url: inner.url,
    port: inner.port,
    get requests() {
      return inner.received.map((r) => ({ headers: r.headers, body: r.rawBody, receivedAt: r.receivedAt.getTime() }));
    },
    connections: inner.connections,
    close: inner.close,
  };
  receivers.push(receiver);
  return receiver;
}

let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink({ port: 0 });
});
afterEach(async () => {
  setClock(null);
  mailEnv.SMTP_URL = undefined;
  mailEnv.LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE = true;
  sink.clear();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  closeMailTransport();
  await sink.close();
  mailEnv.LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE = false;
});
mailEnv.LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE = true;

async function orgWithGroup(name = "Research") {
  const org = await createOrg();
  const group = await createBillingGroup(org.id, { name, periodLimit: 10_000n });
  return { orgId: org.id, group };
}

async function insertEvent(
  orgId: string,
  group: { id: string; name: string },
  type: EventType = "threshold.crossed",
  createdAt = at(0),
) {
  const [row] = await testDb()
    .insert(events)
    .values({
      orgId,
      type,
      billingGroupId: group.id,
      period: "2026-12",
      threshold: 90,
      data: {
        billingGroup: { id: group.id, name: group.name },
        period: "2026-12",
        threshold: 90,
        used: "90.00",
        limit: "100.00",
      },
      createdAt,
    })
    .returning();
  return row!;
}

async function addEndpoint(
  orgId: string,
  url: string,
  options: { eventTypes?: AlertEventType[]; disabled?: boolean } = {},
) {
  const [row] = await testDb()
    .insert(webhookEndpoints)
    .values({
      orgId,
      url,
      eventTypes: options.eventTypes ?? ["threshold.crossed", "threshold.resolved", "forecast.exceeds"],
      secretCiphertext: sealSecret(secretBoxKey(encryptionKeyMaterial()), SECRET),
      disabledAt: options.disabled ? at(0) : null,
      createdAt: at(0),
      updatedAt: at(0),
    })
    .returning();
  return row!;
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the condition");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function deliveries(orgId: string) {
  return testDb().execute<{
    id: string;
    event_id: string;
    channel: string;
    endpoint_id: string | null;
    email: string | null;
    status: string;
    attempts: number;
    last_status_code: number | null;
    last_error: string | null;
    next_attempt_at: Date;
  }>(sql`
    select id, event_id, channel, endpoint_id, email, status, attempts, last_status_code, last_error, next_attempt_at
    from event_deliveries where org_id = ${orgId} order by created_at, channel, email, endpoint_id`);
}

async function attempts(orgId: string, deliveryId: string) {
  return testDb().execute<{ attempt: number; status_code: number | null; error: string | null; duration_ms: number }>(
    sql`select attempt, status_code, error, duration_ms from event_delivery_attempts
        where org_id = ${orgId} and delivery_id = ${deliveryId} order by attempt`,
  );
}

/** Fan out and send at `instant` (what the dispatch job and the deliver job it wakes do). */
async function dispatchAndDeliver(orgId: string, instant = at(0), webhookTimeoutMs?: number) {
  setClock(instant);
  await dispatchOrgEvents(orgId);
  return deliverDueEvents(orgId, { webhookTimeoutMs });
}

describe("webhook deliveries (R41)", () => {
  it("POSTs the event signed with the endpoint's secret", async () => {
    const { orgId, group } = await orgWithGroup();
    const receiver = await startReceiver([200]);
    await addEndpoint(orgId, receiver.url);
    const event = await insertEvent(orgId, group);

    expect(await dispatchAndDeliver(orgId)).toEqual({ succeeded: 1, retrying: 0, failed: 0 });

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["user-agent"]).toBe("Ledgerline-Webhooks/1");
    expect(request!.headers[EVENT_ID_HEADER.toLowerCase()]).toBe(event.id);
    const signature = request!.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const nowSeconds = Math.floor(at(0).getTime() / 1000);
    expect(verifySignature({ secret: SECRET, header: signature, rawBody: request!.body, nowSeconds })).toBe(true);
    expect(verifySignature({ secret: "whsec_wrong", header: signature, rawBody: request!.body, nowSeconds })).toBe(
      false,
    );
    expect(JSON.parse(request!.body)).toEqual({
      id: event.id,
      type: "threshold.crossed",
      createdAt: at(0).toISOString(),
      data: {
        billingGroup: { id: group.id, name: "Research" },
        period: "2026-12",
        threshold: 90,
        used: "90.00",
        limit: "100.00",
      },
    });
    const [delivery] = await deliveries(orgId);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, last_status_code: 200, last_error: null });
  });

  it("retries a 500 with backoff: the same event id and body twice, both attempts logged", async () => {
    const { orgId, group } = await orgWithGroup();
    const receiver = await startReceiver([500, 200]);
    await addEndpoint(orgId, receiver.url);
    const event = await insertEvent(orgId, group);

    expect(await dispatchAndDeliver(orgId)).toEqual({ succeeded: 0, retrying: 1, failed: 0 });
    const [retrying] = await deliveries(orgId);
    expect(retrying).toMatchObject({ status: "retrying", attempts: 1, last_status_code: 500, last_error: "HTTP 500" });
    expect(new Date(retrying!.next_attempt_at).toISOString()).toBe(at(minutes(1)).toISOString());

    // Not due yet: nothing is sent.
    setClock(at(minutes(1) - 1000));
    expect(await deliverDueEvents(orgId)).toEqual({ succeeded: 0, retrying: 0, failed: 0 });
    // Past the backoff: sent again, and taken.
    setClock(at(minutes(1)));
    expect(await deliverDueEvents(orgId)).toEqual({ succeeded: 1, retrying: 0, failed: 0 });

    expect(receiver.requests.map((r) => r.headers[EVENT_ID_HEADER.toLowerCase()])).toEqual([event.id, event.id]);
    expect(receiver.requests[1]!.body).toBe(receiver.requests[0]!.body);
    const [delivery] = await deliveries(orgId);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 2, last_status_code: 200 });
    const log = await attempts(orgId, delivery!.id);
    expect(log.map((a) => [a.attempt, a.status_code])).toEqual([
      [1, 500],
      [2, 200],
    ]);
  });

  it("times out a receiver that never answers: a failed attempt, retried later", async () => {
    const { orgId, group } = await orgWithGroup();
    const receiver = await startReceiver(["hang"]);
    await addEndpoint(orgId, receiver.url);
    await insertEvent(orgId, group);

    expect(await dispatchAndDeliver(orgId, at(0), 300)).toEqual({ succeeded: 0, retrying: 1, failed: 0 });
    expect(receiver.requests).toHaveLength(1);
    const [delivery] = await deliveries(orgId);
    expect(delivery).toMatchObject({ status: "retrying", attempts: 1, last_status_code: null });
    const [attempt] = await attempts(orgId, delivery!.id);
    expect(attempt).toMatchObject({ attempt: 1, status_code: null, error: "No answer within 300 ms" });
    expect(attempt!.duration_ms).toBeGreaterThanOrEqual(250);
  });

  it("does not follow a redirect", async () => {
    const { orgId, group } = await orgWithGroup();
    const target = await startReceiver([200]);
    const receiver = await startReceiver([{ redirect: target.url }]);
    await addEndpoint(orgId, receiver.url);
    await insertEvent(orgId, group);

    expect(await dispatchAndDeliver(orgId)).toEqual({ succeeded: 0, retrying: 1, failed: 0 });
    expect(receiver.requests).toHaveLength(1);
    expect(target.connections()).toBe(0);
    const [delivery] = await deliveries(orgId);
    expect(delivery).toMatchObject({
      status: "retrying",
      last_status_code: 302,
      last_error: "HTTP 302: redirects are not followed",
    });
  });

  it("gives up 24 hours after the delivery was queued", async () => {
    const { orgId, group } = await orgWithGroup();
    const receiver = await startReceiver([503]);
    await addEndpoint(orgId, receiver.url);
    await insertEvent(orgId, group);

    await dispatchAndDeliver(orgId);
    setClock(at(minutes(24 * 60) - minutes(1)));
    expect(await deliverDueEvents(orgId)).toEqual({ succeeded: 0, retrying: 1, failed: 0 });
    setClock(at(minutes(24 * 60 + 60)));
    expect(await deliverDueEvents(orgId)).toEqual({ succeeded: 0, retrying: 0, failed: 1 });
    const [delivery] = await deliveries(orgId);
    expect(delivery).toMatchObject({ status: "failed", attempts: 3, last_status_code: 503 });
    // Failed is final: nothing is due any more.
    setClock(at(minutes(3 * 24 * 60)));
    expect(await deliverDueEvents(orgId)).toEqual({ succeeded: 0, retrying: 0, failed: 0 });
    expect(receiver.requests).toHaveLength(3);
  });

  it("one endpoint hanging does not delay another's delivery", async () => {
    const { orgId, group } = await orgWithGroup();
    let release!: (status: number) => void;
    const slow = await startReceiver([new Promise<number>((resolve) => (release = resolve))]);
    const fast = await startReceiver([200]);
    await addEndpoint(orgId, slow.url);
    await addEndpoint(orgId, fast.url);
    await insertEvent(orgId, group);

    setClock(at(0));
    await dispatchOrgEvents(orgId);
    const delivering = deliverDueEvents(orgId, { webhookTimeoutMs: 60_000 });
    // The fast endpoint's delivery is recorded while the slow one still has no answer.
    await until(async () => (await deliveries(orgId)).some((r) => r.status === "succeeded"), 20_000);
    expect(slow.requests).toHaveLength(1);
    expect(fast.requests).toHaveLength(1);
    expect((await deliveries(orgId)).map((r) => r.status).sort()).toEqual(["queued", "succeeded"]);
    release(200);
    expect(await delivering).toEqual({ succeeded: 2, retrying: 0, failed: 0 });
  });

  it("a worker stopping finishes the delivery in hand and gives the rest back", async () => {
    const { orgId, group } = await orgWithGroup();
    const slow = await startReceiver(["hang"]);
    await addEndpoint(orgId, slow.url);
    await insertEvent(orgId, group, "threshold.crossed", at(0));
    await insertEvent(orgId, group, "threshold.crossed", at(1));
    setClock(at(0));
    await dispatchOrgEvents(orgId);

    const stopping = new AbortController();
    setTimeout(() => stopping.abort(), 100);
    const outcome = await deliverDueEvents(orgId, { signal: stopping.signal, concurrency: 1, webhookTimeoutMs: 400 });
    expect(outcome).toEqual({ succeeded: 0, retrying: 1, failed: 0 });
    expect(slow.requests).toHaveLength(1);
    const rows = await testDb().execute<{ status: string; attempts: number; lease_until: Date | null }>(
      sql`select status, attempts, lease_until from event_deliveries where org_id = ${orgId} order by attempts`,
    );
    expect(rows.map((r) => [r.status, r.attempts, r.lease_until])).toEqual([
      ["queued", 0, null],
      ["retrying", 1, null],
    ]);
  });

  describe("without LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE", () => {
    it.each([
      ["a literal 127.0.0.1", (port: number) => `https://127.0.0.1:${port}/hook`],
      ["10.0.0.1", () => "https://10.0.0.1/hook"],
      ["the metadata address", () => "https://169.254.169.254/latest/meta-data"],
      ["[::1]", (port: number) => `https://[::1]:${port}/hook`],
      ["localhost", (port: number) => `https://localhost:${port}/hook`],
      ["a name resolving to loopback", (port: number) => `https://rebound.example.test:${port}/hook`],
      ["plain http", (port: number) => `http://rebound.example.test:${port}/hook`],
    ])("refuses %s at send time; nothing reaches the receiver", async (_what, urlFor) => {
      const { orgId, group } = await orgWithGroup();
      const receiver = await startReceiver([200]);
      // Saved while private addresses were allowed; the rule has changed since.
      await addEndpoint(orgId, urlFor(receiver.port));
      await insertEvent(orgId, group);
      mailEnv.LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE = false;

      expect(await dispatchAndDeliver(orgId)).toEqual({ succeeded: 0, retrying: 1, failed: 0 });
      expect(receiver.connections()).toBe(0);
      const [delivery] = await deliveries(orgId);
      expect(delivery).toMatchObject({ status: "retrying", last_status_code: null });
      expect(delivery!.last_error).toMatch(/private or loopback|https:\/\//);
    });

    it("the same name reaches the receiver once private addresses are allowed (the lookup is the connection's)", async () => {
      const { orgId, group } = await orgWithGroup();
      const receiver = await startReceiver([200]);
      await addEndpoint(orgId, `http://rebound.example.test:${receiver.port}/hook`);
      await insertEvent(orgId, group);
      expect(await dispatchAndDeliver(orgId)).toEqual({ succeeded: 1, retrying: 0, failed: 0 });
      expect(receiver.requests).toHaveLength(1);
    });
  });
});

describe("fan-out (R40, R41)", () => {
  it("fans each event out once under two concurrent dispatchers", async () => {
    const { orgId, group } = await orgWithGroup();
    mailEnv.SMTP_URL = sink.url;
    const first = await addEndpoint(orgId, "https://hooks.example.com/a");
    const second = await addEndpoint(orgId, "https://hooks.example.com/b");
    await testDb()
      .insert(billingGroupRecipients)
      .values([
        { orgId, billingGroupId: group.id, email: "finance@example.com" },
        { orgId, billingGroupId: group.id, email: "Lead@Example.com" },
      ]);
    const inserted = [];
    for (let i = 0; i < 20; i++) inserted.push(await insertEvent(orgId, group));
    setClock(at(0));

    const [a, b] = await Promise.all([dispatchOrgEvents(orgId), dispatchOrgEvents(orgId)]);
    expect(a.events + b.events).toBe(20);
    expect(a.deliveries + b.deliveries).toBe(20 * 4);
    expect(await dispatchOrgEvents(orgId)).toEqual({ events: 0, deliveries: 0 });

    const rows = await deliveries(orgId);
    expect(rows).toHaveLength(80);
    for (const event of inserted) {
      const mine = rows.filter((r) => r.event_id === event.id);
      expect(mine.map((r) => r.endpoint_id ?? r.email).sort()).toEqual(
        [first.id, second.id, "finance@example.com", "Lead@Example.com"].sort(),
      );
    }
    const undispatched = await testDb().execute(
      sql`select 1 from events where org_id = ${orgId} and dispatched_at is null`,
    );
    expect(undispatched).toHaveLength(0);
  });

  it("skips endpoints not subscribed to the type, disabled endpoints, and pings", async () => {
    const { orgId, group } = await orgWithGroup();
    const subscribed = await startReceiver([200]);
    const otherTypes = await startReceiver([200]);
    const disabled = await startReceiver([200]);
    await addEndpoint(orgId, subscribed.url, { eventTypes: ["threshold.crossed"] });
    await addEndpoint(orgId, otherTypes.url, { eventTypes: ["forecast.exceeds", "threshold.resolved"] });
    await addEndpoint(orgId, disabled.url, { disabled: true });
    await insertEvent(orgId, group, "threshold.crossed");
    await insertEvent(orgId, group, "ping");

    expect(await dispatchAndDeliver(orgId)).toEqual({ succeeded: 1, retrying: 0, failed: 0 });
    expect(subscribed.requests).toHaveLength(1);
    expect(otherTypes.connections()).toBe(0);
    expect(disabled.connections()).toBe(0);
    expect(await deliveries(orgId)).toHaveLength(1);
  });

  it("mails the group's recipients what the Notifications list says, only when SMTP is configured", async () => {
    const { orgId, group } = await orgWithGroup("Research");
    const other = await createBillingGroup(orgId, { name: "Other" });
    await testDb()
      .insert(billingGroupRecipients)
      .values([
        { orgId, billingGroupId: group.id, email: "finance@example.com" },
        { orgId, billingGroupId: other.id, email: "elsewhere@example.com" },
      ]);

    // No SMTP: no email deliveries at all, and the event is dispatched.
    await insertEvent(orgId, group);
    await dispatchAndDeliver(orgId);
    expect(await deliveries(orgId)).toHaveLength(0);

    mailEnv.SMTP_URL = sink.url;
    await insertEvent(orgId, group);
    expect(await dispatchAndDeliver(orgId)).toEqual({ succeeded: 1, retrying: 0, failed: 0 });
    const [mail] = await sink.waitForMessages(1, 5_000);
    expect(mail!.envelope.to).toEqual(["finance@example.com"]);
    expect(mail!.subject).toBe("Ledgerline alert: Research reached 90% of its period limit");
    expect(mail!.text).toContain("90.00 of 100.00 Credits used in");
    const [delivery] = await deliveries(orgId);
    expect(delivery).toMatchObject({ channel: "email", status: "succeeded", attempts: 1 });
    expect(mail!.messageId).toBe(`<alert.${delivery!.id}@example.com>`);
  });

  it("an email failure does not hold up a webhook, and each is retried on its own", async () => {
    const { orgId, group } = await orgWithGroup();
    mailEnv.SMTP_URL = sink.url;
    sink.setAccepting(false);
    const receiver = await startReceiver([200]);
    await addEndpoint(orgId, receiver.url);
    await testDb().insert(billingGroupRecipients).values({ orgId, billingGroupId: group.id, email: "f@example.com" });
    await insertEvent(orgId, group);
    try {
      expect(await dispatchAndDeliver(orgId)).toEqual({ succeeded: 1, retrying: 1, failed: 0 });
    } finally {
      sink.setAccepting(true);
    }
    const rows = await deliveries(orgId);
    expect(rows.find((r) => r.channel === "email")).toMatchObject({ status: "retrying" });
    expect(rows.find((r) => r.channel === "email")!.last_error).toContain("451");
    expect(rows.find((r) => r.channel === "webhook")).toMatchObject({ status: "succeeded" });
    setClock(at(minutes(1)));
    expect(await deliverDueEvents(orgId)).toEqual({ succeeded: 1, retrying: 0, failed: 0 });
    expect(receiver.requests).toHaveLength(1);
  });

  it("the minute's tick wakes dispatch for new events and delivery for due retries", async () => {
    const { orgId, group } = await orgWithGroup();
    const receiver = await startReceiver([500, 200]);
    await addEndpoint(orgId, receiver.url);
    await insertEvent(orgId, group);
    const woken = { dispatch: [] as string[], deliver: [] as string[] };
    const tick = () =>
      runEventsTick({
        wakeDispatch: async (id) => void woken.dispatch.push(id),
        wakeDeliver: async (id) => void woken.deliver.push(id),
        evaluateForecasts: async () => ({ orgs: 0, fired: 0 }),
      });
    setClock(at(0));
    await tick();
    expect(woken.dispatch).toContain(orgId);
    await dispatchAndDeliver(orgId);
    woken.dispatch.length = 0;
    woken.deliver.length = 0;
    await tick();
    expect(woken.dispatch).not.toContain(orgId);
    expect(woken.deliver).not.toContain(orgId); // the retry is not due yet
    setClock(at(minutes(1)));
    await tick();
    expect(woken.deliver).toContain(orgId);
  });
});
