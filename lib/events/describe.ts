import { z } from "zod";
import type { EventType } from "@/db/schema/events";
import { formatPeriodLabel, type Period } from "@/lib/periods/rules";

// R40: what an event says, in words, wherever people read it (the Notifications list, the alert
// email). Pure; the event's stored data is R40's payload, parsed here so a malformed row is
// reported rather than printed as "undefined".

export const alertEventDataSchema = z.object({
  billingGroup: z.object({ id: z.string(), name: z.string() }),
  period: z.string(),
  threshold: z.number().int().optional(),
  used: z.string(),
  limit: z.string(),
  projected: z.string().optional(),
});

export type AlertEventData = z.infer<typeof alertEventDataSchema>;

export type EventDescription = { title: string; detail: string };

export function describeEvent(type: EventType, data: unknown, currentPeriod: Period): EventDescription {
  if (type === "ping") return { title: "Test event", detail: "Sent with Send Test Event." };
  const parsed = alertEventDataSchema.safeParse(data);
  if (!parsed.success) return { title: "Usage alert", detail: "This event's details could not be read." };
  const d = parsed.data;
  const name = d.billingGroup.name;
  const period = formatPeriodLabel(d.period as Period, currentPeriod);
  switch (type) {
    case "threshold.crossed":
      return {
        title: `${name} reached ${d.threshold}% of its period limit`,
        detail: `${d.used} of ${d.limit} Credits used in ${period}.`,
      };
    case "threshold.resolved":
      return {
        title: `${name} is back below ${d.threshold}% of its period limit`,
        detail: `The limit changed: ${d.used} of ${d.limit} Credits used in ${period}.`,
      };
    case "forecast.exceeds":
      return {
        title: `${name} is on track to exceed its period limit`,
        detail: `${d.used} of ${d.limit} Credits used; ${d.projected ?? "more than the limit"} projected by the end of ${period}.`,
      };
  }
}
