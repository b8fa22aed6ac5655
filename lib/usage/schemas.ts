import { z } from "zod";
import { parseCredits } from "@/lib/credits/rules";
import { text } from "@/lib/text";

import { MAX_BATCH_EVENTS } from "@/lib/limits";

// R17/R30: Credits as a decimal string (or JSON number) with at most 2 fractional digits,
// positive and bounded; carried on as exact hundredths.
const credits = z
  .union([text(), z.number()], { error: 'credits must be a decimal string such as "1.25".' })
  .transform((value, ctx) => {
    const hundredths = parseCredits(value);
    if (hundredths === null || hundredths <= 0n) {
      ctx.addIssue({
        code: "custom",
        message: "credits must be a positive amount with at most 2 decimal places and at most 1 trillion.",
      });
      return z.NEVER;
    }
    return hundredths;
  })
  .meta({
    description:
      'Positive Credits with at most 2 decimals, at most 1,000,000,000,000: a decimal string such as "1.25" (a JSON number is accepted too).',
    examples: ["1.25"],
  });

/** The OpenAPI component name of one usage event (R30), also referenced by the batch's events. */
export const USAGE_EVENT_SCHEMA_ID = "UsageEvent";

export const usageEventSchema = z
  .strictObject({
    member: text({ error: "member must be an email or a member id." })
      .trim()
      .min(1, "member must be an email or a member id.")
      .max(320)
      .meta({ description: "Member email (case-insensitive) or member id." }),
    credits,
    idempotencyKey: text({ error: "idempotencyKey must be a string of 1–200 characters." })
      .min(1, "idempotencyKey must be a string of 1–200 characters.")
      .max(200, "idempotencyKey must be a string of 1–200 characters.")
      .meta({
        description:
          "Your id for this event: a replay with the same body returns the original result, with another body 409.",
      }),
  })
  .meta({ id: USAGE_EVENT_SCHEMA_ID, description: "One usage event (R30)." });

export type UsageEventInput = z.infer<typeof usageEventSchema>;

/** Why a batch envelope is refused, unless it is only too long (`batch_too_large`). */
export const BATCH_SHAPE_MESSAGE = 'Send { "events": [ … ] } with 1 to 1,000 usage events.';

/**
 * R31: the envelope of a batch. Each event is validated on its own by `usageEventSchema` when it is
 * judged, so one bad event is answered in its place and does not refuse the batch; the document
 * shows them as usage events all the same.
 */
export const usageBatchSchema = z.object(
  {
    events: z
      .array(z.unknown().meta({ override: { $ref: `#/components/schemas/${USAGE_EVENT_SCHEMA_ID}` } }), {
        error: BATCH_SHAPE_MESSAGE,
      })
      .min(1, BATCH_SHAPE_MESSAGE)
      .max(MAX_BATCH_EVENTS, `A batch holds at most ${MAX_BATCH_EVENTS.toLocaleString("en-US")} events; split it.`),
  },
  { error: BATCH_SHAPE_MESSAGE },
);

/** One readable line from a zod error, for the API's `message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
