import { z } from "zod";
import { memberRole } from "@/db/schema";
import { PERIOD_PATTERN } from "@/lib/periods/rules";
import { text } from "@/lib/text";
import { UNASSIGNED_ID } from "@/lib/ids";
import { PERSONAL_LIMIT_SOURCES, REJECTION_MESSAGES, type RejectionCode } from "@/lib/usage/rules";
import { API_MEMBERS_PAGE_DEFAULT, API_MEMBERS_PAGE_MAX } from "@/lib/limits";

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

/** Error codes of one HTTP status; every refusal is `{ error, message }` (R30). */
export function apiErrorSchema<const Codes extends readonly [string, ...string[]]>(codes: Codes) {
  return z.strictObject({
    error: z.enum(codes).meta({ description: "A stable code for programs." }),
    message: text().meta({ description: "What went wrong, for people." }),
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
