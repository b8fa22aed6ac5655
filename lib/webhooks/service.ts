import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { eventDeliveries, events, webhookEndpoints } from "@/db/schema";
import type { AlertEventType } from "@/db/schema/events";
import { recordAudit, type AuditActor } from "@/lib/audit/service";
import { now } from "@/lib/clock";
import { env } from "@/lib/env";
import { ConflictError, DomainError, NotFoundError } from "@/lib/errors";
import { MAX_WEBHOOK_ENDPOINTS_PER_ORG } from "@/lib/limits";
import { endpointCount, findWebhookEndpoint, type WebhookEndpointSummary } from "./queries";
import { sealSigningSecret } from "./secrets";
import { generateSigningSecret } from "./signature";
import { checkWebhookUrl } from "./url-guard";

// Writes of the Webhooks page (R41, R36). Each takes the caller's transaction (opened by `withOrg`),
// so the change and its audit entry commit together. A signing secret is returned to the caller
// once and stored only sealed; neither it nor its ciphertext ever reaches an audit entry or a log.

type Ctx = { orgId: string; actor: AuditActor };

export const DUPLICATE_WEBHOOK_URL = "This URL is already a webhook endpoint of your organization.";
export const TOO_MANY_WEBHOOKS = `Your organization already has the maximum of ${MAX_WEBHOOK_ENDPOINTS_PER_ORG} webhook endpoints. Delete one you no longer use before adding another.`;
export const DISABLED_WEBHOOK = "This endpoint is disabled: enable it to send deliveries to it.";
const TEST_EVENT_MESSAGE = "Test event from Ledgerline";

const NOT_FOUND = "That webhook endpoint";

/** A URL the form may save: `https` (or `http` where private addresses are allowed), no private literal (R41). */
function checkedUrl(raw: string): string {
  const checked = checkWebhookUrl(raw, { allowPrivate: env().LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE });
  if (!checked.ok) throw new DomainError("invalid_input", checked.message, { url: [checked.message] });
  return checked.url.href;
}

async function audit(
  tx: Transaction,
  ctx: Ctx,
  action: string,
  endpoint: { id: string; url: string },
  change: { before?: unknown; after?: unknown },
) {
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actor: ctx.actor,
    action,
    targetType: "webhook_endpoint",
    targetId: endpoint.id,
    targetLabel: endpoint.url,
    ...change,
  });
}

async function existingEndpoint(tx: Transaction, ctx: Ctx, id: string, lock = false): Promise<WebhookEndpointSummary> {
  const endpoint = await findWebhookEndpoint(tx, { orgId: ctx.orgId, id, lock });
  if (!endpoint) throw new NotFoundError(NOT_FOUND);
  return endpoint;
}

export type CreatedWebhookEndpoint = { id: string; url: string; eventTypes: AlertEventType[]; secret: string };

export async function createWebhookEndpoint(
  tx: Transaction,
  ctx: Ctx,
  input: { url: string; eventTypes: AlertEventType[] },
): Promise<CreatedWebhookEndpoint> {
  const url = checkedUrl(input.url);
  // Count-then-insert is a race without it: one lock per org lines up concurrent adds, so the cap
  // and the one-endpoint-per-URL rule hold (no unique key covers the URL).
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`webhook_endpoints:${ctx.orgId}`}, 0))`);
  const existing = await endpointCount(tx, { orgId: ctx.orgId, url });
  if (existing.taken) throw new ConflictError(DUPLICATE_WEBHOOK_URL, "url");
  if (existing.count >= MAX_WEBHOOK_ENDPOINTS_PER_ORG)
    throw new DomainError("limit_exceeded", TOO_MANY_WEBHOOKS, { url: [TOO_MANY_WEBHOOKS] });
  const secret = generateSigningSecret();
  const at = now();
  const [row] = await tx
    .insert(webhookEndpoints)
    .values({
      orgId: ctx.orgId,
      url,
      eventTypes: input.eventTypes,
      secretCiphertext: sealSigningSecret(secret),
      createdBy: ctx.actor.id,
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url, eventTypes: webhookEndpoints.eventTypes });
  await audit(tx, ctx, "webhook.created", row!, { after: { url: row!.url, eventTypes: row!.eventTypes } });
  return { ...row!, secret };
}

/** Enable / disable, and the event types (R41). Only what changes is written and audited. */
export async function updateWebhookEndpoint(
  tx: Transaction,
  ctx: Ctx,
  input: { id: string; enabled?: boolean; eventTypes?: AlertEventType[] },
): Promise<{ id: string; url: string; enabled: boolean; eventTypes: AlertEventType[] }> {
  const endpoint = await existingEndpoint(tx, ctx, input.id, true);
  const wasEnabled = endpoint.disabledAt === null;
  const enabled = input.enabled ?? wasEnabled;
  const eventTypes = input.eventTypes ?? endpoint.eventTypes;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (enabled !== wasEnabled) {
    before.enabled = wasEnabled;
    after.enabled = enabled;
  }
  if (eventTypes.join() !== endpoint.eventTypes.join()) {
    before.eventTypes = endpoint.eventTypes;
    after.eventTypes = eventTypes;
  }
  if (Object.keys(after).length > 0) {
    const at = now();
    await tx
      .update(webhookEndpoints)
      .set({ eventTypes, disabledAt: enabled ? null : (endpoint.disabledAt ?? at), updatedAt: at })
      .where(and(eq(webhookEndpoints.orgId, ctx.orgId), eq(webhookEndpoints.id, endpoint.id)));
    await audit(tx, ctx, "webhook.updated", endpoint, { before, after });
  }
  return { id: endpoint.id, url: endpoint.url, enabled, eventTypes };
}

/** A new signing secret, returned once; the old one stops signing at once (R41). */
export async function rotateWebhookSecret(
  tx: Transaction,
  ctx: Ctx,
  input: { id: string },
): Promise<{ id: string; url: string; secret: string }> {
  const secret = generateSigningSecret();
  const at = now();
  const [row] = await tx
    .update(webhookEndpoints)
    .set({ secretCiphertext: sealSigningSecret(secret), secretRotatedAt: at, updatedAt: at })
    .where(and(eq(webhookEndpoints.orgId, ctx.orgId), eq(webhookEndpoints.id, input.id)))
    .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
  if (!row) throw new NotFoundError(NOT_FOUND);
  await audit(tx, ctx, "webhook.secret_rotated", row, { after: { secretRotatedAt: at.toISOString() } });
  return { ...row, secret };
}

/** Deletes the endpoint with its deliveries and their attempts (the foreign keys cascade). */
export async function deleteWebhookEndpoint(
  tx: Transaction,
  ctx: Ctx,
  input: { id: string },
): Promise<{ id: string; url: string }> {
  const [row] = await tx
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, ctx.orgId), eq(webhookEndpoints.id, input.id)))
    .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url, eventTypes: webhookEndpoints.eventTypes });
  if (!row) throw new NotFoundError(NOT_FOUND);
  await audit(tx, ctx, "webhook.deleted", row, {
    before: { url: row.url, eventTypes: row.eventTypes },
  });
  return { id: row.id, url: row.url };
}

function requireEnabled(endpoint: WebhookEndpointSummary) {
  if (endpoint.disabledAt !== null) throw new DomainError("invalid_input", DISABLED_WEBHOOK);
}

/**
 * `Resend` (R41): the delivery goes again from now, with the same event id, in a new 24-hour
 * retry window. Attempt numbering continues and the log keeps the earlier attempts.
 */
export async function resendWebhookDelivery(
  tx: Transaction,
  ctx: Ctx,
  input: { endpointId: string; deliveryId: string },
): Promise<{ id: string; eventId: string; url: string }> {
  const endpoint = await existingEndpoint(tx, ctx, input.endpointId);
  requireEnabled(endpoint);
  const at = now();
  const where = and(
    eq(eventDeliveries.orgId, ctx.orgId),
    eq(eventDeliveries.id, input.deliveryId),
    eq(eventDeliveries.endpointId, endpoint.id),
    eq(eventDeliveries.channel, "webhook"),
  );
  const [current] = await tx
    .select({ leaseUntil: eventDeliveries.leaseUntil })
    .from(eventDeliveries)
    .where(where)
    .for("update");
  if (!current) throw new NotFoundError("That delivery");
  // A worker holds it (sending now): resetting it under the worker would send it twice.
  if (current.leaseUntil !== null && current.leaseUntil > at) {
    throw new ConflictError("This delivery is being sent right now. Press Resend again once its attempt is logged.");
  }
  const [row] = await tx
    .update(eventDeliveries)
    .set({
      status: "queued",
      nextAttemptAt: at,
      windowStartedAt: at,
      leaseUntil: null,
      lastError: null,
      updatedAt: at,
    })
    .where(where)
    .returning({ id: eventDeliveries.id, eventId: eventDeliveries.eventId });
  if (!row) throw new NotFoundError("That delivery");
  await audit(tx, ctx, "webhook.resent", endpoint, { after: { deliveryId: row.id, eventId: row.eventId } });
  return { ...row, url: endpoint.url };
}

/**
 * `Send Test Event` (R41): a `ping` event for this endpoint alone. It is written already
 * dispatched, so the fan-out never sends it anywhere else; its one delivery is queued now.
 */
export async function sendWebhookTestEvent(
  tx: Transaction,
  ctx: Ctx,
  input: { id: string },
): Promise<{ eventId: string; deliveryId: string; url: string }> {
  const endpoint = await existingEndpoint(tx, ctx, input.id);
  requireEnabled(endpoint);
  const at = now();
  const [event] = await tx
    .insert(events)
    .values({
      orgId: ctx.orgId,
      type: "ping",
      billingGroupId: null,
      data: { message: TEST_EVENT_MESSAGE, endpointId: endpoint.id },
      createdAt: at,
      dispatchedAt: at,
    })
    .returning({ id: events.id });
  const [delivery] = await tx
    .insert(eventDeliveries)
    .values({
      orgId: ctx.orgId,
      eventId: event!.id,
      channel: "webhook",
      endpointId: endpoint.id,
      status: "queued",
      nextAttemptAt: at,
      windowStartedAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: eventDeliveries.id });
  await audit(tx, ctx, "webhook.test_sent", endpoint, { after: { eventId: event!.id, deliveryId: delivery!.id } });
  return { eventId: event!.id, deliveryId: delivery!.id, url: endpoint.url };
}
