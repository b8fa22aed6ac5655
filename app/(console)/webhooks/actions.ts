"use server";

import { defineAction } from "@/lib/actions";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  resendWebhookDelivery,
  rotateWebhookSecret,
  sendWebhookTestEvent,
  updateWebhookEndpoint,
} from "@/lib/webhooks/access";
import {
  createWebhookEndpointSchema,
  updateWebhookEndpointSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from "@/lib/webhooks/schemas";

// R41: admins only, org-level (no period). A signing secret goes back to the admin once.
const revalidate = ["/webhooks"];

export const createWebhookEndpointAction = defineAction({
  name: "webhooks.create",
  schema: createWebhookEndpointSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => createWebhookEndpoint(principal, input),
});

export const updateWebhookEndpointAction = defineAction({
  name: "webhooks.update",
  schema: updateWebhookEndpointSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => updateWebhookEndpoint(principal, input),
});

export const rotateWebhookSecretAction = defineAction({
  name: "webhooks.rotate-secret",
  schema: webhookEndpointSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => rotateWebhookSecret(principal, input),
});

export const deleteWebhookEndpointAction = defineAction({
  name: "webhooks.delete",
  schema: webhookEndpointSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => deleteWebhookEndpoint(principal, input),
});

export const sendWebhookTestEventAction = defineAction({
  name: "webhooks.send-test-event",
  schema: webhookEndpointSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => sendWebhookTestEvent(principal, input),
});

export const resendWebhookDeliveryAction = defineAction({
  name: "webhooks.resend",
  schema: webhookDeliverySchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => resendWebhookDelivery(principal, input),
});
