import "server-only";
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { eventDeliveries, eventDeliveryAttempts, events, webhookEndpoints } from "@/db/schema";
import type { AlertEventType, EventDeliveryStatus, EventType } from "@/db/schema/events";

// Reads of the Webhooks page (R41), org-scoped, on the caller's transaction. The sealed secret is
// never selected here: the page has no use for it.

export type WebhookEndpointRow = {
  id: string;
  url: string;
  eventTypes: AlertEventType[];
  disabledAt: Date | null;
  createdAt: Date;
  lastDelivery: { status: EventDeliveryStatus; statusCode: number | null; createdAt: Date } | null;
};

const endpointColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  eventTypes: webhookEndpoints.eventTypes,
  disabledAt: webhookEndpoints.disabledAt,
  createdAt: webhookEndpoints.createdAt,
};

function ofEndpoint(orgId: string, id: string) {
  return and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, id));
}

/** Every endpoint of the org, newest first, each with its latest delivery (the endpoint log index). */
export async function listWebhookEndpoints(db: Executor, params: { orgId: string }): Promise<WebhookEndpointRow[]> {
  const rows = await db
    .select({
      ...endpointColumns,
      // One correlated read on the endpoint log index; timestamps come back as JSON text. The outer
      // columns are spelled out: drizzle renders them unqualified here, which would bind to `d`.
      last: sql<{ status: EventDeliveryStatus; statusCode: number | null; createdAt: string } | null>`(
        select json_build_object('status', d.status, 'statusCode', d.last_status_code, 'createdAt', d.created_at)
        from ${eventDeliveries} d
        where d.org_id = webhook_endpoints.org_id and d.endpoint_id = webhook_endpoints.id
        order by d.created_at desc, d.id desc limit 1)`,
    })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.orgId, params.orgId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return rows.map(({ last, ...endpoint }) => ({
    ...endpoint,
    lastDelivery: last && { ...last, createdAt: new Date(last.createdAt) },
  }));
}

export type WebhookEndpointSummary = Pick<WebhookEndpointRow, "id" | "url" | "eventTypes" | "disabledAt">;

/** One endpoint of the org, or null (another org's id finds nothing, as row-level security also ensures). */
export async function findWebhookEndpoint(
  db: Executor,
  params: { orgId: string; id: string; lock?: boolean },
): Promise<WebhookEndpointSummary | null> {
  const query = db
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      eventTypes: webhookEndpoints.eventTypes,
      disabledAt: webhookEndpoints.disabledAt,
    })
    .from(webhookEndpoints)
    .where(ofEndpoint(params.orgId, params.id));
  const [row] = params.lock ? await query.for("update") : await query;
  return row ?? null;
}

/** How many endpoints the org has, and whether `url` is one of them: the create checks, under the org's lock. */
export async function endpointCount(db: Executor, params: { orgId: string; url: string }) {
  const [row] = await db
    .select({ n: count(), taken: sql<boolean>`coalesce(bool_or(${webhookEndpoints.url} = ${params.url}), false)` })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.orgId, params.orgId));
  return { count: row?.n ?? 0, taken: row?.taken ?? false };
}

export type WebhookAttemptRow = {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
};

export type WebhookDeliveryRow = {
  id: string;
  eventId: string;
  eventType: EventType;
  status: EventDeliveryStatus;
  lastStatusCode: number | null;
  lastError: string | null;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  deliveredAt: Date | null;
  attemptLog: WebhookAttemptRow[];
};

function deliveriesOf(params: { orgId: string; endpointId: string }) {
  return and(
    eq(eventDeliveries.orgId, params.orgId),
    eq(eventDeliveries.endpointId, params.endpointId),
    eq(eventDeliveries.channel, "webhook"),
  );
}

export async function countWebhookDeliveries(db: Executor, params: { orgId: string; endpointId: string }) {
  const [row] = await db.select({ n: count() }).from(eventDeliveries).where(deliveriesOf(params));
  return row?.n ?? 0;
}

/** One page of an endpoint's deliveries, newest first, each with its attempts in order. */
export async function listWebhookDeliveries(
  db: Executor,
  params: { orgId: string; endpointId: string; limit: number; offset: number },
): Promise<WebhookDeliveryRow[]> {
  const rows = await db
    .select({
      id: eventDeliveries.id,
      eventId: eventDeliveries.eventId,
      eventType: events.type,
      status: eventDeliveries.status,
      lastStatusCode: eventDeliveries.lastStatusCode,
      lastError: eventDeliveries.lastError,
      attempts: eventDeliveries.attempts,
      nextAttemptAt: eventDeliveries.nextAttemptAt,
      createdAt: eventDeliveries.createdAt,
      deliveredAt: eventDeliveries.deliveredAt,
    })
    .from(eventDeliveries)
    .innerJoin(events, and(eq(events.orgId, eventDeliveries.orgId), eq(events.id, eventDeliveries.eventId)))
    .where(deliveriesOf(params))
    .orderBy(desc(eventDeliveries.createdAt), desc(eventDeliveries.id))
    .limit(params.limit)
    .offset(params.offset);
  const attempts = rows.length
    ? await db
        .select({
          deliveryId: eventDeliveryAttempts.deliveryId,
          attempt: eventDeliveryAttempts.attempt,
          statusCode: eventDeliveryAttempts.statusCode,
          error: eventDeliveryAttempts.error,
          durationMs: eventDeliveryAttempts.durationMs,
          attemptedAt: eventDeliveryAttempts.attemptedAt,
        })
        .from(eventDeliveryAttempts)
        .where(
          and(
            eq(eventDeliveryAttempts.orgId, params.orgId),
            inArray(
              eventDeliveryAttempts.deliveryId,
              rows.map((r) => r.id),
            ),
          ),
        )
        .orderBy(asc(eventDeliveryAttempts.attempt), asc(eventDeliveryAttempts.attemptedAt))
    : [];
  return rows.map((row) => ({
    ...row,
    attemptLog: attempts.filter((a) => a.deliveryId === row.id).map(({ deliveryId: _, ...attempt }) => attempt),
  }));
}
