import { z } from "zod";
import { parseCredits } from "@/lib/credits/rules";

import { MAX_BATCH_EVENTS } from "@/lib/limits";

// R17/R30: Credits as a decimal string (or JSON number) with at most 2 fractional digits,
// positive and bounded; carried on as exact hundredths.
const credits = z
  .union([z.string(), z.number()], { error: 'credits must be a decimal string such as "1.25".' })
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
  });

export const usageEventSchema = z.strictObject({
  member: z
    .string({ error: "member must be an email or a member id." })
    .trim()
    .min(1, "member must be an email or a member id.")
    .max(320),
  credits,
  idempotencyKey: z
    .string({ error: "idempotencyKey must be a string of 1–200 characters." })
    .min(1, "idempotencyKey must be a string of 1–200 characters.")
    .max(200, "idempotencyKey must be a string of 1–200 characters."),
});

export type UsageEventInput = z.infer<typeof usageEventSchema>;

export const batchEnvelopeSchema = z.strictObject({
  events: z
    .array(z.unknown(), { error: "events must be an array." })
    .max(MAX_BATCH_EVENTS, `A batch holds at most ${MAX_BATCH_EVENTS} events.`),
});

/** One readable line from a zod error, for the API's `message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
