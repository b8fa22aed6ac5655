import { z } from "zod";
import { memberRole } from "@/db/schema";
import { PERIOD_PATTERN } from "@/lib/periods/rules";
import { text } from "@/lib/text";
import { UNASSIGNED_ID } from "@/lib/ids";
import { PERSONAL_LIMIT_SOURCES, REJECTION_MESSAGES, type RejectionCode } from "@/lib/usage/rules";
import { API_MEMBERS_PAGE_DEFAULT, API_MEMBERS_PAGE_MAX } from "@/lib/limits";
import { API_KEY_SCOPES } from "@/lib/api-keys/rules";
import {
  billingGroupDescriptionSchema,
  billingGroupNameSchema,
  defaultPersonalLimitSchema,
  periodLimitSchema,
} from "@/lib/billing-groups/schemas";
import { personalLimitField as personalLimitSchema } from "@/lib/members/schemas";

// The zod schemas of /api/v1: the route handlers validate requests with them and the OpenAPI
// document (lib/api/openapi.ts) is generated from them, so the two cannot drift apart. Response
// schemas are strict: lib/api/openapi.int.test.ts parses real answers with them.

/** The query string for a zod schema; the first value of a repeated name wins, as with `URLSearchParams.get`. */
export function queryOf(request: Request): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of new URL(request.url).searchParams) if (!(name in query)) query[name] = value;
  return query;
}

// ---- shared pieces -------------------------------------------------------------------------

export const periodSchema = text()
  .regex(PERIOD_PATTERN, "period must be YYYY-MM, e.g. 2026-10.")
  .meta({ description: "A period: a calendar month in UTC, YYYY-MM.", examples: ["2026-10"] });

const billingGroupIdSchema = z
  .union([z.literal(UNASSIGNED_ID), z.uuid()])
  .meta({ description: "A billing group id, or `unassigned` for members in no billing group." });

/** Credits as the API writes them (R25): a plain decimal string without trailing zeros. */
const creditsSchema = text()
  .regex(/^\d+(\.\d{1,2})?$/)
  .meta({ description: "Credits as a decimal string (at most 2 decimals).", examples: ["1.25"] });

/** Issue 20: on every error response (the same id as the `X-Request-Id` header and the server's logs). */
const requestIdField = text()
  .optional()
  .meta({ description: "This request's id, as in the X-Request-Id response header: quote it to support." });

/** Error codes of one HTTP status; every refusal is `{ error, message, requestId }` (R30). */
export function apiErrorSchema<const Codes extends readonly [string, ...string[]]>(codes: Codes) {
  return z.strictObject({
    error: z.enum(codes).meta({ description: "A stable code for programs." }),
    message: text().meta({ description: "What went wrong, for people." }),
    requestId: requestIdField,
  });
}

// ---- requests ------------------------------------------------------------------------------

/** GET /api/v1/billing-groups (R32a). */
export const billingGroupsQuerySchema = z.object({
  period: periodSchema.optional().meta({ description: "YYYY-MM; defaults to the current period." }),
});

/** GET /api/v1/members (R32a): members by email, `limit` per page, `nextCursor` to continue. */
export const membersQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(API_MEMBERS_PAGE_MAX)
    .default(API_MEMBERS_PAGE_DEFAULT)
    .meta({ description: "Members per page." }),
  cursor: text().max(1000).optional().meta({ description: "`nextCursor` of the previous page." }),
  email: text().trim().min(1).max(320).optional().meta({ description: "Exact email, case-insensitive." }),
  billingGroup: billingGroupIdSchema.optional(),
  includeDeactivated: z.enum(["true", "false"]).default("false"),
});

/** GET /api/v1/members/{member}/entitlement (R32). */
export const memberPathSchema = z.object({
  member: text().min(1).max(320).meta({ description: "Member email (case-insensitive) or member id." }),
});

// An empty value means "not given", as in the console's export links.
const blankSchema = text().trim().max(0);

/**
 * GET /api/v1/billing-groups/export (R32a). Whether the period is one the organization has and the
 * billing group one of its own is for the export itself to judge (R24, R13).
 */
export const billExportQuerySchema = z.object({
  period: z
    .union([blankSchema, text().trim().regex(PERIOD_PATTERN)], {
      error: "period must be YYYY-MM: the current period or an earlier one since the organization was created.",
    })
    .optional()
    .meta({
      description: "YYYY-MM: the current period (the default) or an earlier one since the organization was created.",
      examples: ["2026-10"],
    }),
  billingGroup: text()
    .trim()
    .optional()
    .meta({ description: "`all` (the default), `unassigned`, or a billing group id; an unknown id is a 404." }),
});

// ---- responses -----------------------------------------------------------------------------

const figuresSchema = z
  .strictObject({
    used: creditsSchema,
    limit: creditsSchema.nullable().meta({ description: "Null when no limit applies." }),
    remaining: creditsSchema.nullable().meta({ description: "Null when no limit applies." }),
  })
  .meta({ id: "Figures", description: "Period usage against a limit." });

const limitSourceSchema = z.enum(PERSONAL_LIMIT_SOURCES).nullable().meta({
  description:
    "Where the personal limit that applies comes from (R42): `personal` = the member's own limit, `billing_group_default` = their billing group's Default Personal Limit (they have no limit of their own); null when neither is set, so the member cannot use Credits.",
});

/** The member's figures: usage against the personal limit that applies, and its source. */
const personalFiguresSchema = figuresSchema
  .extend({ limitSource: limitSourceSchema })
  .meta({ id: "PersonalFigures", description: "Period usage against the personal limit that applies." });

const billingGroupRefSchema = z
  .strictObject({ id: billingGroupIdSchema, name: text() })
  .meta({ id: "BillingGroupRef" });

export const acceptedUsageSchema = z
  .strictObject({
    eventId: z.uuid(),
    period: periodSchema,
    recordedAt: z.iso.datetime(),
    member: z.strictObject({ id: z.uuid(), email: text() }),
    credits: creditsSchema,
    billingGroup: billingGroupRefSchema,
    // A replay returns the body as first recorded: events accepted before default personal limits
    // existed have no `limitSource`.
    personal: personalFiguresSchema.extend({ limitSource: limitSourceSchema.optional() }),
    group: figuresSchema,
  })
  .meta({ id: "AcceptedUsage", description: "An accepted usage event, with the figures after it." });

// The rejection codes are the keys of their messages, so a new one is documented as soon as it exists.
const rejectionCodes = Object.keys(REJECTION_MESSAGES) as [RejectionCode, ...RejectionCode[]];

/** How one usage event can be refused (R30), the same whether sent alone or in a batch (R31). */
export const usageEventErrors = {
  400: apiErrorSchema(["invalid_body"]),
  402: apiErrorSchema(rejectionCodes),
  404: apiErrorSchema(["member_not_found"]),
  409: apiErrorSchema(["idempotency_conflict"]),
  500: apiErrorSchema(["internal"]),
};

const batchIndexSchema = z.int().nonnegative().meta({ description: "Position of the event in the request." });
const batchEventResultSchema = z.discriminatedUnion("status", [
  z.strictObject({ index: batchIndexSchema, status: z.literal([201, 200]), body: acceptedUsageSchema }),
  ...([400, 402, 404, 409, 500] as const).map((status) =>
    z.strictObject({ index: batchIndexSchema, status: z.literal(status), body: usageEventErrors[status] }),
  ),
]);

export const batchResultSchema = z
  .strictObject({
    summary: z.strictObject({
      accepted: z.int().nonnegative(),
      replayed: z.int().nonnegative(),
      rejected: z.int().nonnegative(),
    }),
    results: z.array(batchEventResultSchema).meta({ description: "One result per event, in request order." }),
  })
  .meta({ id: "BatchResult" });

export const entitlementSchema = z
  .strictObject({
    member: z.strictObject({ id: z.uuid(), email: text(), name: text() }),
    period: periodSchema,
    canUse: z.boolean(),
    reason: z.enum(rejectionCodes).nullable().meta({ description: "Which limit binds; null when canUse." }),
    message: text().nullable(),
    billingGroup: billingGroupRefSchema,
    personal: personalFiguresSchema,
    group: figuresSchema,
  })
  .meta({ id: "Entitlement" });

const billingGroupSchema = z
  .strictObject({
    id: billingGroupIdSchema,
    name: text(),
    description: text(),
    members: z.int().nonnegative().meta({ description: "Active members in the billing group." }),
    periodUsage: creditsSchema,
    periodLimit: creditsSchema.nullable(),
    deleted: z.boolean(),
  })
  .meta({ id: "BillingGroup" });

export const billingGroupsPageSchema = z.strictObject({
  period: periodSchema,
  billingGroups: z.array(billingGroupSchema),
});

const memberSchema = z
  .strictObject({
    id: z.uuid(),
    name: text(),
    email: text(),
    role: z.enum(memberRole.enumValues),
    billingGroup: billingGroupRefSchema,
    personalLimit: creditsSchema.nullable(),
    periodUsage: creditsSchema,
    deactivated: z.boolean(),
  })
  .meta({ id: "Member" });

export const membersPageSchema = z.strictObject({
  members: z.array(memberSchema),
  nextCursor: text().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last." }),
});

// ---- R44: the admin API --------------------------------------------------------------------

/** A Credits amount as the admin API takes it: a decimal string (at most 2 decimals), or null for none. */
const creditsInput = (schema: z.ZodType<bigint | null, string>, description: string) =>
  z
    .union([z.null(), schema])
    .meta({ description: `${description} Credits as a decimal string with at most 2 decimals; null for none.` });

export const createBillingGroupBodySchema = z
  .strictObject({
    name: billingGroupNameSchema.meta({
      description: "1–100 characters, unique among live billing groups (case-insensitive); `Unassigned` is reserved.",
      examples: ["Research"],
    }),
    description: billingGroupDescriptionSchema.optional().meta({ description: "At most 500 characters." }),
    defaultPersonalLimit: creditsInput(
      defaultPersonalLimitSchema,
      "R42: the personal limit of members without one of their own.",
    ).optional(),
  })
  .meta({
    id: "CreateBillingGroup",
    examples: [{ name: "Research", description: "Lab teams", defaultPersonalLimit: "250" }],
  });

export const changeBillingGroupBodySchema = z
  .strictObject({
    name: createBillingGroupBodySchema.shape.name.optional(),
    description: billingGroupDescriptionSchema.optional().meta({ description: "At most 500 characters." }),
    defaultPersonalLimit: createBillingGroupBodySchema.shape.defaultPersonalLimit,
  })
  .refine((body) => Object.keys(body).length > 0, "Give at least one of name, description, defaultPersonalLimit.")
  .meta({ id: "ChangeBillingGroup", examples: [{ description: "Lab and field teams" }] });

export const deleteBillingGroupBodySchema = z
  .strictObject({
    confirmName: text()
      .min(1, "Give the billing group's name as confirmName to confirm.")
      .meta({ description: "The billing group's exact name (R13)." }),
  })
  .meta({ id: "DeleteBillingGroup", examples: [{ confirmName: "Research" }] });

export const setPeriodLimitBodySchema = z
  .strictObject({
    limit: creditsInput(periodLimitSchema, "R19: the billing group's period usage limit, greater than 0."),
  })
  .meta({ id: "SetPeriodLimit", examples: [{ limit: "1500" }, { limit: null }] });

export const MAX_API_ASSIGNMENT = 1_000;

export const assignMembersBodySchema = z
  .strictObject({
    members: z
      .array(text().trim().min(1).max(320).meta({ description: "A member's email (case-insensitive) or id." }))
      .min(1, "Give at least one member.")
      .max(MAX_API_ASSIGNMENT, `Give at most ${MAX_API_ASSIGNMENT.toLocaleString("en-US")} members per request.`)
      .meta({ description: "Up to 1,000; a member named twice (or by email and by id) counts once." }),
  })
  .meta({ id: "AssignMembers", examples: [{ members: ["ada@example.com", "grace@example.com"] }] });

export const changeMemberBodySchema = z
  .strictObject({
    personalLimit: creditsInput(
      personalLimitSchema,
      "R18: the member's own personal limit; null = none of their own, so their billing group's default applies (R42).",
    ).optional(),
    billingGroup: billingGroupIdSchema.optional().meta({ description: "A live billing group's id, or `unassigned`." }),
  })
  .refine((body) => Object.keys(body).length > 0, "Give personalLimit, billingGroup or both.")
  .meta({ id: "ChangeMember", examples: [{ personalLimit: "300", billingGroup: "unassigned" }] });

export const billingGroupPathSchema = z.object({
  id: text().min(1).max(100).meta({ description: "A billing group id (`unassigned` only where it says so)." }),
});

export const billingGroupSettingsSchema = z
  .strictObject({
    id: z.uuid(),
    name: text(),
    description: text(),
    periodLimit: creditsSchema.nullable(),
    defaultPersonalLimit: creditsSchema.nullable(),
    version: z.int().positive().meta({ description: "Bumped by every change; sent as `ETag`, taken as `If-Match`." }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "BillingGroupSettings" });

export const deletedBillingGroupSchema = z
  .strictObject({
    id: z.uuid(),
    name: text(),
    membersReturnedToUnassigned: z.int().nonnegative(),
  })
  .meta({ id: "DeletedBillingGroup" });

export const assignmentResultSchema = z
  .strictObject({
    billingGroup: billingGroupRefSchema,
    assigned: z.int().nonnegative().meta({ description: "Members moved into the billing group." }),
    unchanged: z.int().nonnegative().meta({ description: "Members already in it." }),
  })
  .meta({ id: "AssignmentResult" });

export const changedMemberSchema = memberSchema;

/** A refusal that lists the entries it is about (R44's assignments). */
export const itemsRefusedSchema = z
  .strictObject({
    error: z.enum(["not_found"]),
    message: text(),
    requestId: requestIdField,
    errors: z.array(
      z.strictObject({
        index: z.int().nonnegative(),
        member: text(),
        error: z.enum(["member_not_found"]),
        message: text(),
      }),
    ),
  })
  .meta({ id: "MembersNotFound" });

/** A domain refusal of the admin API; `fields` says which input it is about, when one is. */
export function adminErrorSchema<const Codes extends readonly [string, ...string[]]>(codes: Codes) {
  return apiErrorSchema(codes).extend({
    fields: z.record(text(), z.array(text())).optional().meta({ description: "The input fields at fault." }),
  });
}

export const insufficientScopeSchema = z
  .strictObject({
    error: z.enum(["insufficient_scope"]),
    message: text(),
    requestId: requestIdField,
    scope: z.enum(API_KEY_SCOPES).meta({ description: "The scope this operation needs." }),
  })
  .meta({ id: "InsufficientScope" });
