import { z } from "zod";
import { alertThresholdsSchema } from "@/lib/alerts/rules";
import { creditsLimitField } from "@/lib/credits/schemas";
import { text } from "@/lib/text";
import { isReservedBillingGroupName } from "./rules";

// One zod schema per form, shared by the client form and the server action (docs/architecture.md).

const period = z.string().min(1);
const id = z.uuid({ message: "That billing group no longer exists. Reload to see the current state." });
const version = z.coerce.number().int().positive();

export const billingGroupNameSchema = text({ message: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.")
  .refine(
    (name) => !isReservedBillingGroupName(name),
    "“Unassigned” is reserved for the system billing group. Choose another name.",
  );

/** R11: optional, at most 500 characters; tabs and line breaks allowed, other control characters not (R47). */
export const billingGroupDescriptionSchema = text().trim().max(500, "Use at most 500 characters.");

const description = billingGroupDescriptionSchema.optional().transform((value) => value ?? "");

/** R19: Credits with at most 2 decimals, > 0; empty clears the limit (null). */
export const periodLimitSchema = creditsLimitField({
  example: "1500 or 12.5",
  ifEmpty: "for no limit",
  positive: true,
});

/**
 * R42: `Default Personal Limit` — Credits with at most 2 decimals, 0 or more; empty = no default
 * (null). Edit without the field (a caller that does not know it) leaves the default as it is.
 */
export const defaultPersonalLimitSchema = creditsLimitField({ example: "100 or 12.5", ifEmpty: "for no default" });

export const createBillingGroupSchema = z.object({
  period,
  name: billingGroupNameSchema,
  description,
  defaultPersonalLimit: defaultPersonalLimitSchema.optional().transform((value) => value ?? null),
});

export const updateBillingGroupSchema = z.object({
  period,
  id,
  version,
  name: billingGroupNameSchema,
  description,
  defaultPersonalLimit: defaultPersonalLimitSchema.optional(),
});

export const setPeriodLimitSchema = z.object({ period, id, version, limit: periodLimitSchema });

/** R40: the Alerts tab. `thresholds` is the typed text ("75, 90, 100") or an array of percents. */
export const setAlertThresholdsSchema = z.object({ period, id, version, thresholds: alertThresholdsSchema });

export const deleteBillingGroupSchema = z.object({
  period,
  id,
  confirmName: z.string().min(1, "Type the billing group's name to confirm."),
});

/** A live group's id, or "unassigned" = back to Unassigned. */
const targetGroup = z
  .string({ message: "Choose a billing group." })
  .trim()
  .refine((v) => v === "unassigned" || z.uuid().safeParse(v).success, "Choose a billing group.")
  .transform((v) => (v === "unassigned" ? null : v));

export const assignMembersSchema = z.object({
  period,
  memberIds: z.array(z.uuid()).min(1, "Select at least one member."),
  billingGroupId: targetGroup,
});

export const memberSearchSchema = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v ?? ""),
  /**
   * "unassigned" lists Unassigned members (Handle); a group id lists everyone not in that group;
   * "all" lists every active member (the Permissions tab's viewer picker, R33).
   */
  scope: z.union([z.literal("unassigned"), z.literal("all"), z.uuid()]),
});

/** R33: the Permissions tab. */
export const viewersListSchema = z.object({ billingGroupId: id });

export const addViewersSchema = z.object({
  billingGroupId: id,
  memberIds: z.array(z.uuid()).min(1, "Select at least one member."),
});

export const removeViewerSchema = z.object({ billingGroupId: id, memberId: z.uuid() });
