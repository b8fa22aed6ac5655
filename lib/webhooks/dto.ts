// What the Webhooks page reads (R41): plain JSON, instants as ISO strings (the client formats them).
import { formatTimestamp } from "@/lib/billing-groups/rules";
import type { AlertEventType, EventDeliveryStatus } from "@/db/schema/events";
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from "./queries";

export type WebhookEndpointDto = {
  id: string;
  url: string;
  eventTypes: AlertEventType[];
  status: "enabled" | "disabled";
  createdAt: string;
  /** The newest delivery to this endpoint, or null when nothing was sent to it yet. */
  lastDelivery: { status: EventDeliveryStatus; statusCode: number | null; createdAt: string } | null;
};

export type WebhookAttemptDto = Omit<WebhookAttemptRow, "attemptedAt"> & { attemptedAt: string };

export type WebhookDeliveryDto = Omit<
  WebhookDeliveryRow,
  "nextAttemptAt" | "createdAt" | "deliveredAt" | "attemptLog"
> & {
  /** When the next attempt is due (queued and retrying only). */
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  attemptLog: WebhookAttemptDto[];
};

export type WebhookDeliveriesDto = {
  endpoint: { id: string; url: string; status: WebhookEndpointDto["status"] };
  page: number;
  pageSize: number;
  total: number;
  deliveries: WebhookDeliveryDto[];
};

/** An instant of a DTO as the page shows it (UTC, to the minute). */
export function formatInstant(iso: string): string {
  return formatTimestamp(new Date(iso));
}

export function endpointStatus(disabledAt: Date | null): WebhookEndpointDto["status"] {
  return disabledAt === null ? "enabled" : "disabled";
}

export function toWebhookEndpointDto(row: WebhookEndpointRow): WebhookEndpointDto {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.eventTypes,
    status: endpointStatus(row.disabledAt),
    createdAt: row.createdAt.toISOString(),
    lastDelivery: row.lastDelivery && { ...row.lastDelivery, createdAt: row.lastDelivery.createdAt.toISOString() },
  };
}

export function toWebhookDeliveryDto(row: WebhookDeliveryRow): WebhookDeliveryDto {
  return {
    ...row,
    nextAttemptAt: row.status === "queued" || row.status === "retrying" ? row.nextAttemptAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    attemptLog: row.attemptLog.map((a) => ({ ...a, attemptedAt: a.attemptedAt.toISOString() })),
  };
}
