import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { eventDeliveries, eventDeliveryAttempts, events, webhookEndpoints } from "@/db/schema";
import { setClock } from "@/lib/clock";
import { mailEnv } from "@/tests/support/mail-env";
import { createMember, createOrg, testDb } from "@/tests/support/db";

// The Webhooks page's service through the access layer (R41): sealed secrets shown once, the URL
// guard, the duplicate and cap refusals, Resend, Send Test Event, audit entries, and org isolation.

vi.mock("@/lib/env", () => import("@/tests/support/mail-env"));

const access = await import("./access");
const { createWebhookEndpointSchema } = await import("./schemas");
const { openSigningSecret } = await import("./secrets");
const { memberPrincipal } = await import("@/lib/auth/principal");

const NOW = new Date("2026-12-10T09:00:00.000Z");
type P = ReturnType<typeof memberPrincipal>;
const A: Record<"admin" | "billing" | "member", P> = {} as never;
let B: P;
let orgA: string;
let orgB: string;

async function principal(orgId: string, role: "admin" | "billing_admin" | "member") {
  const [org] = await testDb().execute<{ name: string; created_at: Date }>(
    sql`select name, created_at from organizations where id = ${orgId}`,
  );
  const member = await createMember(orgId, { role });
  return memberPrincipal({ ...member, orgName: org!.name, orgCreatedAt: new Date(org!.created_at) });
}

function create(who: P, url: string, eventTypes?: string[]) {
  return access.createWebhookEndpoint(who, createWebhookEndpointSchema.parse({ url, eventTypes }));
}

async function endpointRow(id: string) {
  const [row] = await testDb().select().from(webhookEndpoints).where(sql`${webhookEndpoints.id} = ${id}`);
  return row!;
}

async function auditText(orgId: string) {
  const rows = await testDb().execute<{ action: string; entry: string }>(
    sql`select action, a::text as entry from audit_log a where org_id = ${orgId} order by created_at, id`,
  );
  return rows;
}

beforeAll(async () => {
  setClock(NOW);
  orgA = (await createOrg("Webhooks A")).id;
  orgB = (await createOrg("Webhooks B")).id;
  A.admin = await principal(orgA, "admin");
  A.billing = await principal(orgA, "billing_admin");
  A.member = await principal(orgA, "member");
  B = await principal(orgB, "admin");
});
beforeEach(() => {
  mailEnv.LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE = false;
});
afterAll(async () => {
  setClock(null);
  await testDb().execute(sql`delete from organizations where id in (${orgA}, ${orgB})`);
});

describe("webhook endpoints (R41)", () => {
  it("stores the signing secret only sealed, returns it once, and keeps it out of the audit log", async () => {
    const created = await create(A.admin, "https://hooks.example.com/ledgerline");
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.eventTypes).toEqual(["threshold.crossed", "threshold.resolved", "forecast.exceeds"]);
    const row = await endpointRow(created.id);
    expect(JSON.stringify(row)).not.toContain(created.secret);
    expect(row.secretCiphertext).toMatch(/^v1\./);
    expect(openSigningSecret(row.secretCiphertext)).toBe(created.secret);
    const audit = await auditText(orgA);
    expect(audit.map((a) => a.action)).toContain("webhook.created");
    for (const entry of audit) {
      expect(entry.entry).not.toContain(created.secret);
      expect(entry.entry).not.toContain(row.secretCiphertext);
    }
    // The list never carries a secret either.
    const listed = await access.listWebhookEndpoints(A.admin);
    expect(listed.find((e) => e.id === created.id)).toEqual({
      id: created.id,
      url: "https://hooks.example.com/ledgerline",
      eventTypes: created.eventTypes,
      status: "enabled",
      createdAt: NOW.toISOString(),
      lastDelivery: null,
    });
    expect(JSON.stringify(listed)).not.toContain("whsec_");
  });

  it("rotates the secret: the new one opens, the old one no longer does, and neither is audited", async () => {
    const created = await create(A.admin, "https://hooks.example.com/rotate", ["forecast.exceeds"]);
    const rotated = await access.rotateWebhookSecret(A.admin, { id: created.id });
    expect(rotated.secret).not.toBe(created.secret);
    const row = await endpointRow(created.id);
    expect(openSigningSecret(row.secretCiphertext)).toBe(rotated.secret);
    expect(row.secretRotatedAt).toEqual(NOW);
    const audit = await auditText(orgA);
    expect(audit.map((a) => a.action)).toContain("webhook.secret_rotated");
    for (const entry of audit) {
      for (const secret of [created.secret, rotated.secret, row.secretCiphertext])
        expect(entry.entry).not.toContain(secret);
    }
  });

  it("refuses a duplicate URL in the org, and more than 20 endpoints", async () => {
    const org = (await createOrg("Webhooks cap")).id;
    const admin = await principal(org, "admin");
    await create(admin, "https://hooks.example.com/0");
    await expect(create(admin, "https://hooks.example.com/0")).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { url: ["This URL is already a webhook endpoint of your organization."] },
    });
    // Another org may use the same URL.
    await create(B, "https://hooks.example.com/0");
    await Promise.all(Array.from({ length: 19 }, (_, i) => create(admin, `https://hooks.example.com/${i + 1}`)));
    await expect(create(admin, "https://hooks.example.com/21")).rejects.toMatchObject({
      code: "limit_exceeded",
      message: expect.stringContaining("maximum of 20 webhook endpoints"),
    });
    const [count] = await testDb().execute<{ n: number }>(
      sql`select count(*)::int as n from webhook_endpoints where org_id = ${org}`,
    );
    expect(count!.n).toBe(20);
    await testDb().execute(sql`delete from organizations where id = ${org}`);
  });

  it("refuses private, loopback and plain-http URLs unless LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE is set", async () => {
    for (const [url, message] of [
      ["http://127.0.0.1:8080/hook", "Use an https:// URL."],
      ["https://127.0.0.1/hook", "private or loopback"],
      ["https://10.1.2.3/hook", "private or loopback"],
      ["https://192.168.0.10/hook", "private or loopback"],
      ["https://169.254.169.254/latest", "private or loopback"],
      ["https://[::1]/hook", "private or loopback"],
      ["https://localhost/hook", "private or loopback"],
      ["https://user:pw@hooks.example.com/", "credentials"],
      ["not a url", "Enter a full URL"],
    ] as const) {
      await expect(create(A.admin, url), url).rejects.toMatchObject({
        code: "invalid_input",
        fieldErrors: { url: [expect.stringContaining(message)] },
      });
    }
    mailEnv.LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE = true;
    const local = await create(A.admin, "http://127.0.0.1:8080/hook");
    expect(local.url).toBe("http://127.0.0.1:8080/hook");
  });

  it("disables, enables and changes event types, each audited as webhook.updated", async () => {
    const created = await create(A.admin, "https://hooks.example.com/toggle");
    expect(await access.updateWebhookEndpoint(A.admin, { id: created.id, enabled: false })).toMatchObject({
      enabled: false,
    });
    expect((await endpointRow(created.id)).disabledAt).toEqual(NOW);
    await access.updateWebhookEndpoint(A.admin, { id: created.id, enabled: true, eventTypes: ["threshold.crossed"] });
    const row = await endpointRow(created.id);
    expect(row).toMatchObject({ disabledAt: null, eventTypes: ["threshold.crossed"] });
    // No change, no entry.
    await access.updateWebhookEndpoint(A.admin, { id: created.id, enabled: true });
    const updates = await testDb().execute<{ before: unknown; after: unknown }>(
      sql`select before, after from audit_log where org_id = ${orgA} and action = 'webhook.updated' and target_id = ${created.id} order by created_at, id`,
    );
    expect(updates.map((u) => [u.before, u.after])).toEqual([
      [{ enabled: true }, { enabled: false }],
      [
        { enabled: false, eventTypes: ["threshold.crossed", "threshold.resolved", "forecast.exceeds"] },
        { enabled: true, eventTypes: ["threshold.crossed"] },
      ],
    ]);
  });

  it("Send Test Event writes one dispatched ping event and one queued delivery for that endpoint", async () => {
    const created = await create(A.admin, "https://hooks.example.com/ping");
    const sent = await access.sendWebhookTestEvent(A.admin, { id: created.id });
    const pings = await testDb().select().from(events).where(sql`${events.id} = ${sent.eventId}`);
    expect(pings).toEqual([
      expect.objectContaining({
        orgId: orgA,
        type: "ping",
        billingGroupId: null,
        data: { message: "Test event from Ledgerline", endpointId: created.id },
        createdAt: NOW,
        dispatchedAt: NOW,
      }),
    ]);
    const deliveries = await testDb()
      .select()
      .from(eventDeliveries)
      .where(sql`${eventDeliveries.eventId} = ${sent.eventId}`);
    expect(deliveries).toEqual([
      expect.objectContaining({
        id: sent.deliveryId,
        channel: "webhook",
        endpointId: created.id,
        status: "queued",
        attempts: 0,
        nextAttemptAt: NOW,
        windowStartedAt: NOW,
        createdAt: NOW,
      }),
    ]);
    const log = await access.getWebhookDeliveries(A.admin, { endpointId: created.id });
    expect(log).toMatchObject({ page: 1, total: 1, endpoint: { id: created.id, status: "enabled" } });
    expect(log.deliveries).toEqual([
      expect.objectContaining({
        id: sent.deliveryId,
        eventId: sent.eventId,
        eventType: "ping",
        status: "queued",
        attempts: 0,
        nextAttemptAt: NOW.toISOString(),
        attemptLog: [],
      }),
    ]);
    const listed = await access.listWebhookEndpoints(A.admin);
    expect(listed.find((e) => e.id === created.id)?.lastDelivery).toEqual({
      status: "queued",
      statusCode: null,
      createdAt: NOW.toISOString(),
    });
    const audit = await auditText(orgA);
    expect(audit.map((a) => a.action)).toContain("webhook.test_sent");
  });

  it("Resend queues a delivery again from now, keeping its attempts and their log", async () => {
    const created = await create(A.admin, "https://hooks.example.com/resend");
    const sent = await access.sendWebhookTestEvent(A.admin, { id: created.id });
    const earlier = new Date("2026-12-08T09:00:00.000Z");
    await testDb()
      .update(eventDeliveries)
      .set({
        status: "failed",
        attempts: 2,
        lastStatusCode: 500,
        lastError: "HTTP 500",
        leaseUntil: earlier,
        windowStartedAt: earlier,
        nextAttemptAt: earlier,
      })
      .where(sql`${eventDeliveries.id} = ${sent.deliveryId}`);
    await testDb()
      .insert(eventDeliveryAttempts)
      .values(
        [1, 2].map((attempt) => ({
          orgId: orgA,
          deliveryId: sent.deliveryId,
          attempt,
          statusCode: 500,
          error: "HTTP 500",
          durationMs: 12,
          attemptedAt: earlier,
        })),
      );
    await access.resendWebhookDelivery(A.admin, { endpointId: created.id, deliveryId: sent.deliveryId });
    const [row] = await testDb().select().from(eventDeliveries).where(sql`${eventDeliveries.id} = ${sent.deliveryId}`);
    expect(row).toMatchObject({
      status: "queued",
      attempts: 2,
      lastStatusCode: 500,
      lastError: null,
      leaseUntil: null,
      nextAttemptAt: NOW,
      windowStartedAt: NOW,
      eventId: sent.eventId,
    });
    const log = await access.getWebhookDeliveries(A.admin, { endpointId: created.id });
    expect(log.deliveries[0]!.attemptLog.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
    ]);
    expect((await auditText(orgA)).map((a) => a.action)).toContain("webhook.resent");
  });

  it("refuses Resend while a worker holds the delivery, so it is never sent twice at once", async () => {
    const created = await create(A.admin, "https://hooks.example.com/in-flight");
    const sent = await access.sendWebhookTestEvent(A.admin, { id: created.id });
    const held = new Date(NOW.getTime() + 60_000);
    const resends = async () => (await auditText(orgA)).filter((a) => a.action === "webhook.resent").length;
    const resendsBefore = await resends();
    await testDb()
      .update(eventDeliveries)
      .set({ leaseUntil: held })
      .where(sql`${eventDeliveries.id} = ${sent.deliveryId}`);
    await expect(
      access.resendWebhookDelivery(A.admin, { endpointId: created.id, deliveryId: sent.deliveryId }),
    ).rejects.toMatchObject({ code: "conflict" });
    const [row] = await testDb().select().from(eventDeliveries).where(sql`${eventDeliveries.id} = ${sent.deliveryId}`);
    expect(row!.leaseUntil).toEqual(held);
    expect(await resends()).toBe(resendsBefore);
  });

  it("refuses Send Test Event and Resend on a disabled endpoint", async () => {
    const created = await create(A.admin, "https://hooks.example.com/off");
    const sent = await access.sendWebhookTestEvent(A.admin, { id: created.id });
    await access.updateWebhookEndpoint(A.admin, { id: created.id, enabled: false });
    await expect(access.sendWebhookTestEvent(A.admin, { id: created.id })).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(
      access.resendWebhookDelivery(A.admin, { endpointId: created.id, deliveryId: sent.deliveryId }),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("pages the delivery log newest first", async () => {
    const created = await create(A.admin, "https://hooks.example.com/paged");
    const ids: string[] = [];
    for (let i = 0; i < 27; i++) {
      setClock(new Date(NOW.getTime() + i * 1000));
      ids.push((await access.sendWebhookTestEvent(A.admin, { id: created.id })).deliveryId);
    }
    setClock(NOW);
    const first = await access.getWebhookDeliveries(A.admin, { endpointId: created.id });
    expect(first).toMatchObject({ page: 1, pageSize: 25, total: 27 });
    expect(first.deliveries.map((d) => d.id)).toEqual(ids.slice(2).reverse());
    const second = await access.getWebhookDeliveries(A.admin, { endpointId: created.id, page: "2" });
    expect(second.deliveries.map((d) => d.id)).toEqual(ids.slice(0, 2).reverse());
    // Past the end: the last page.
    expect((await access.getWebhookDeliveries(A.admin, { endpointId: created.id, page: "9" })).page).toBe(2);
  });

  it("deletes an endpoint with its deliveries, audited", async () => {
    const created = await create(A.admin, "https://hooks.example.com/delete");
    const sent = await access.sendWebhookTestEvent(A.admin, { id: created.id });
    expect(await access.deleteWebhookEndpoint(A.admin, { id: created.id })).toEqual({
      id: created.id,
      url: "https://hooks.example.com/delete",
    });
    const left = await testDb().execute(sql`select 1 from event_deliveries where id = ${sent.deliveryId}`);
    expect(left).toHaveLength(0);
    await expect(access.deleteWebhookEndpoint(A.admin, { id: created.id })).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await auditText(orgA)).map((a) => a.action)).toContain("webhook.deleted");
  });

  it("lets only admins in, and another org's admin neither sees nor touches this org's endpoints", async () => {
    const created = await create(A.admin, "https://hooks.example.com/isolated");
    const sent = await access.sendWebhookTestEvent(A.admin, { id: created.id });
    for (const who of [A.billing, A.member]) {
      await expect(access.listWebhookEndpoints(who)).rejects.toMatchObject({ code: "forbidden" });
      await expect(create(who, "https://hooks.example.com/x")).rejects.toMatchObject({ code: "forbidden" });
      await expect(access.getWebhookDeliveries(who, { endpointId: created.id })).rejects.toMatchObject({
        code: "forbidden",
      });
    }
    expect(JSON.stringify(await access.listWebhookEndpoints(B))).not.toContain(created.id);
    const attempts = [
      () => access.getWebhookDeliveries(B, { endpointId: created.id }),
      () => access.updateWebhookEndpoint(B, { id: created.id, enabled: false }),
      () => access.rotateWebhookSecret(B, { id: created.id }),
      () => access.deleteWebhookEndpoint(B, { id: created.id }),
      () => access.sendWebhookTestEvent(B, { id: created.id }),
      () => access.resendWebhookDelivery(B, { endpointId: created.id, deliveryId: sent.deliveryId }),
      () => access.getWebhookDeliveries(A.admin, { endpointId: "not-an-id" }),
    ];
    const before = JSON.stringify(await endpointRow(created.id));
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: "not_found" });
    expect(JSON.stringify(await endpointRow(created.id))).toBe(before);
    const [count] = await testDb().execute<{ n: number }>(
      sql`select count(*)::int as n from event_deliveries where endpoint_id = ${created.id}`,
    );
    expect(count!.n).toBe(1);
  });
});
