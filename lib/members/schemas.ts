import { z } from "zod";
import { creditsLimitField } from "@/lib/credits/schemas";

// Shared by the forms and the server actions (one zod schema per form: docs/architecture.md).

// The role list lives with the roles (lib/auth/roles.ts, no zod), for the client forms' pickers.
import { MEMBER_ROLES } from "@/lib/auth/roles";
export { MEMBER_ROLES };
import { BULK_CHANGE_MESSAGE, MAX_MEMBERS_PER_BULK_CHANGE } from "@/lib/limits";

/**
 * R17/R18: a Personal Usage Limit in Credits with at most 2 decimals. Empty = none of their own
 * (null): the billing group's Default Personal Limit applies, if it has one (R42). 0 is kept as 0,
 * and blocks the member whatever the default.
 */
export const personalLimitField = creditsLimitField({
  example: "250 or 12.5",
  ifEmpty: "to use the billing group's default",
});

/** "" or "unassigned" = the system Unassigned group (null). */
export const billingGroupField = z
  .string()
  .trim()
  .transform((value) => (value === "" || value === "unassigned" ? null : value))
  .pipe(z.uuid({ message: "Choose a billing group from the list." }).nullable());

const memberIdsField = z
  .array(z.uuid())
  .min(1, { message: "Select at least one member." })
  .max(MAX_MEMBERS_PER_BULK_CHANGE, { message: BULK_CHANGE_MESSAGE });

const periodField = z.string();

export const addMemberSchema = z.object({
  name: z.string().trim().min(1, { message: "Enter a name." }).max(200, { message: "Use at most 200 characters." }),
  email: z
    .string()
    .trim()
    .max(320, { message: "Use at most 320 characters." })
    .pipe(z.email({ message: "Enter a valid email address." })),
  role: z.enum(MEMBER_ROLES, { message: "Choose a role." }),
  personalLimit: personalLimitField.optional().transform((v) => v ?? null),
  billingGroupId: billingGroupField.optional().transform((v) => v ?? null),
  period: periodField,
});

/**
 * An explicit choice — a live group's id or `unassigned` — never empty: an Assign submitted
 * without choosing must not move people to Unassigned by default (issue 18).
 */
const chosenBillingGroupField = z.string().trim().min(1, "Choose a billing group.").pipe(billingGroupField);

export const assignBillingGroupSchema = z.object({
  memberIds: memberIdsField,
  billingGroupId: chosenBillingGroupField,
  period: periodField,
});

export const setPersonalLimitSchema = z.object({
  memberIds: memberIdsField,
  personalLimit: personalLimitField,
  period: periodField,
});

export const changeRoleSchema = z.object({
  memberId: z.uuid(),
  role: z.enum(MEMBER_ROLES, { message: "Choose a role." }),
  period: periodField,
});

export const memberIdSchema = z.object({ memberId: z.uuid(), period: periodField });

/**
 * Deactivate (issue 22): the member's API keys belong to the organization (R29) and keep working
 * unless the admin ticks "Also revoke their N API keys". Absent = false: keys survive by default.
 */
export const deactivateMemberSchema = memberIdSchema.extend({
  revokeApiKeys: z.boolean({ message: "Choose whether to revoke their API keys." }).default(false),
});

export type AddMemberInput = z.infer<typeof addMemberSchema>;
