import { z } from "zod";
import { ALERT_EVENT_TYPES } from "@/db/schema/events";
import { text } from "@/lib/text";

// R41: the Webhooks page's forms and buttons, shared by the client and the server actions.
// Endpoint management is org-level, not period-bound: no `period` here (R23 does not apply).

/** The event types an endpoint may subscribe to, in display order (a `ping` goes only where it is sent). */
export const WEBHOOK_EVENT_TYPES = ALERT_EVENT_TYPES;

/** The form's checkboxes (passed to the client as props, so it never bundles the schema module). */
export const WEBHOOK_EVENT_CHOICES: { value: (typeof WEBHOOK_EVENT_TYPES)[number]; description: string }[] = [
  { value: "threshold.crossed", description: "a billing group's usage reached one of its alert thresholds" },
  { value: "threshold.resolved", description: "a limit change brought usage back below a crossed threshold" },
  { value: "forecast.exceeds", description: "this period's usage is projected to reach the limit" },
];

const endpointId = z.uuid({ message: "That webhook endpoint no longer exists. Reload to see the current state." });

const eventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { message: "Choose from the listed event types." }))
  .min(1, "Choose at least one event type.")
  // Stored once each, in the listed order, whatever order the form sent them in.
  .transform((chosen) => WEBHOOK_EVENT_TYPES.filter((type) => chosen.includes(type)));

export const createWebhookEndpointSchema = z.object({
  url: text({ error: "Enter the URL deliveries are posted to." })
    .trim()
    .min(1, "Enter the URL deliveries are posted to.")
    .max(2048, "Use at most 2,048 characters."),
  // All by default (R41): a caller that names none subscribes to every alert event.
  eventTypes: eventTypes.default([...WEBHOOK_EVENT_TYPES]),
});

export const updateWebhookEndpointSchema = z
  .object({ id: endpointId, enabled: z.boolean().optional(), eventTypes: eventTypes.optional() })
  .refine((input) => input.enabled !== undefined || input.eventTypes !== undefined, {
    message: "Nothing to change: choose Enable, Disable or the event types.",
  });

export const webhookEndpointSchema = z.object({ id: endpointId });

export const webhookDeliverySchema = z.object({
  endpointId,
  deliveryId: z.uuid({ message: "That delivery no longer exists. Reload to see the current state." }),
});

export type CreateWebhookEndpointInput = z.infer<typeof createWebhookEndpointSchema>;
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointSchema>;
export type WebhookDeliveryInput = z.infer<typeof webhookDeliverySchema>;
