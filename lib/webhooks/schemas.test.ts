import { describe, expect, it } from "vitest";
import { ALERT_EVENT_TYPES } from "@/db/schema/events";
import { createWebhookEndpointSchema, updateWebhookEndpointSchema, WEBHOOK_EVENT_CHOICES } from "./schemas";

describe("webhook endpoint schemas (R41)", () => {
  it("subscribes to every alert event by default, stores each chosen type once in the listed order", () => {
    expect(createWebhookEndpointSchema.parse({ url: " https://hooks.example.com/x " })).toEqual({
      url: "https://hooks.example.com/x",
      eventTypes: ["threshold.crossed", "threshold.resolved", "forecast.exceeds"],
    });
    expect(
      createWebhookEndpointSchema.parse({
        url: "https://hooks.example.com/x",
        eventTypes: ["forecast.exceeds", "threshold.crossed", "forecast.exceeds"],
      }).eventTypes,
    ).toEqual(["threshold.crossed", "forecast.exceeds"]);
  });

  it("refuses no event type, an unknown one (ping included) and an empty URL", () => {
    for (const eventTypes of [[], ["ping"], ["usage.recorded"]]) {
      expect(createWebhookEndpointSchema.safeParse({ url: "https://h.example.com", eventTypes }).success).toBe(false);
    }
    expect(createWebhookEndpointSchema.safeParse({ url: "  " }).success).toBe(false);
    expect(createWebhookEndpointSchema.safeParse({ url: "https://h.example.com/\u0000" }).success).toBe(false);
  });

  it("an update names something to change", () => {
    const id = "00000000-0000-4000-8000-000000000000";
    expect(updateWebhookEndpointSchema.safeParse({ id }).success).toBe(false);
    expect(updateWebhookEndpointSchema.safeParse({ id, enabled: false }).success).toBe(true);
  });

  it("offers every alert event type as a checkbox", () => {
    expect(WEBHOOK_EVENT_CHOICES.map((c) => c.value)).toEqual([...ALERT_EVENT_TYPES]);
  });
});
