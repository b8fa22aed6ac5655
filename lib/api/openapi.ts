import { z } from "zod";
import { createDocument, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from "zod-openapi";
import { text } from "@/lib/text";
import { usageBatchSchema, usageEventSchema } from "@/lib/usage/schemas";
import {
  acceptedUsageSchema,
  apiErrorSchema,
  batchResultSchema,
  billExportQuerySchema,
  billingGroupsPageSchema,
  billingGroupsQuerySchema,
  entitlementSchema,
  memberPathSchema,
  membersPageSchema,
  membersQuerySchema,
  usageEventErrors,
  adminErrorSchema,
  assignMembersBodySchema,
  assignmentResultSchema,
  billingGroupPathSchema,
  billingGroupSettingsSchema,
  changeBillingGroupBodySchema,
  changedMemberSchema,
  changeMemberBodySchema,
  createBillingGroupBodySchema,
  deleteBillingGroupBodySchema,
  deletedBillingGroupSchema,
  insufficientScopeSchema,
  itemsRefusedSchema,
  setPeriodLimitBodySchema,
} from "./schemas";

// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json (issue 5), generated from
// the same zod schemas the route handlers validate with (issue 13). lib/api/openapi.test.ts checks
// that every route file is documented and every documented operation has its route file;
// lib/api/openapi.int.test.ts that every answer parses with the schema documented for its status.

const json = (description: string, schema: z.ZodType): ZodOpenApiResponseObject => ({
  description,
  content: { "application/json": { schema } },
});

const refusal = <const Codes extends readonly [string, ...string[]]>(description: string, codes: Codes) =>
  json(description, apiErrorSchema(codes));

const unauthorized: ZodOpenApiResponseObject = {
  ...refusal("Missing, malformed, unknown or revoked API key.", ["unauthorized"]),
  headers: z.object({ "WWW-Authenticate": text().meta({ description: 'Always `Bearer realm="ledgerline"`.' }) }),
  id: "Unauthorized",
};

const internal: ZodOpenApiResponseObject = {
  ...refusal("Something failed on our side; nothing was recorded, so a retry is safe.", ["internal"]),
  id: "InternalError",
};

const payloadTooLarge = (limit: string) => refusal(`Body larger than ${limit}.`, ["payload_too_large"]);

const insufficientScope: ZodOpenApiResponseObject = {
  ...json("The API key lacks the scope this operation needs (R44); `scope` names it.", insufficientScopeSchema),
  id: "InsufficientScope",
};

/** What the shared plumbing of every authenticated route may answer: `authenticate` and `apiRoute` (lib/api/http.ts). */
const authenticatedRouteAnswers = { "401": unauthorized, "403": insufficientScope, "500": internal };

const rateLimited: ZodOpenApiResponseObject = {
  ...refusal("Over this API key's rate on this server: 60 requests at once, then 10 a second.", ["rate_limited"]),
  headers: z.object({ "Retry-After": text().meta({ description: "Seconds to wait before retrying." }) }),
  id: "RateLimited",
};

/** The admin API's plumbing (lib/api/admin.ts) adds the per-key rate limit. */
const adminRouteAnswers = { ...authenticatedRouteAnswers, "429": rateLimited };

const etag = z.object({
  ETag: text().meta({ description: 'The billing group\'s version, e.g. `"3"`: send it back as `If-Match`.' }),
});

const settings = (description: string): ZodOpenApiResponseObject => ({
  ...json(description, billingGroupSettingsSchema),
  headers: etag,
});

const ifMatchHeader = z.object({
  "If-Match": text().optional().meta({
    description: 'The `ETag` you read, e.g. `"3"`: a stale version is refused with 412. Absent or `*`: any version.',
  }),
});

const idempotencyHeader = z.object({
  "Idempotency-Key": text().optional().meta({
    description:
      "1–200 characters, e.g. a UUID. The same key and body again answer the first result (with `Idempotent-Replayed: true`) and change nothing; the same key with another body is a 409.",
  }),
});

const billingGroupPath = { path: billingGroupPathSchema };

const invalidBody = refusal(
  "Malformed JSON (`invalid_json`), an invalid body (`invalid_body`, naming the field), or a control character in the path (`invalid_path`).",
  ["invalid_json", "invalid_body", "invalid_path"],
);
const billingGroupNotFound = refusal("No live billing group with that id in this organization.", ["not_found"]);
const stale = refusal("If-Match names a version that is no longer current; read the group again.", [
  "precondition_failed",
]);
const adminBodyTooLarge = payloadTooLarge("512 KB");
const invalidIfMatchOrBody = refusal(
  "Malformed JSON, an invalid body (naming the field), an If-Match that is not an ETag, or a control character in the path (`invalid_path`).",
  ["invalid_json", "invalid_body", "invalid_if_match", "invalid_path"],
);

/** Every operation of /api/v1, keyed by path and lower-case HTTP method. */
export const apiPaths = {
  "/api/v1/usage": {
    post: {
      operationId: "recordUsage",
      summary: "Record one usage event",
      description:
        "Accepted only if the member's period usage stays within the personal limit that applies to them (their own, or else their billing group's Default Personal Limit; `personal.limitSource` says which) and, if their billing group has one, the group's period usage within its limit. A rejected request records nothing. Replaying an accepted idempotencyKey with the same body returns the original result with 200; with a different body, 409. A bad key is answered 401 before any 400 or 413.",
      requestBody: { required: true, content: { "application/json": { schema: usageEventSchema } } },
      responses: {
        "201": json("Accepted and recorded.", acceptedUsageSchema),
        "200": json("Replay of an accepted event; nothing new recorded.", acceptedUsageSchema),
        "400": refusal("Malformed JSON (`invalid_json`) or an invalid body (`invalid_body`).", [
          "invalid_json",
          "invalid_body",
        ]),
        "402": json("Rejected by a limit, or the member has no personal limit.", usageEventErrors[402]),
        "404": json("Unknown or deactivated member.", usageEventErrors[404]),
        "409": json("idempotencyKey already used for a different event.", usageEventErrors[409]),
        "413": payloadTooLarge("16 KB"),
        ...authenticatedRouteAnswers,
      },
    },
  },
  "/api/v1/usage/batch": {
    post: {
      operationId: "recordUsageBatch",
      summary: "Record up to 1,000 usage events",
      description:
        "Each event is judged in order as if sent alone to POST /api/v1/usage, each with its own status and body; one refused event does not refuse the others.",
      requestBody: { required: true, content: { "application/json": { schema: usageBatchSchema } } },
      responses: {
        "200": json("Per-event results, in request order.", batchResultSchema),
        "400": refusal("Malformed JSON, no `events`, or more than 1,000 events (`batch_too_large`).", [
          "invalid_json",
          "invalid_body",
          "batch_too_large",
        ]),
        "413": payloadTooLarge("1 MB"),
        ...authenticatedRouteAnswers,
      },
    },
  },
  "/api/v1/members/{member}/entitlement": {
    get: {
      operationId: "getMemberEntitlement",
      summary: "Can this member use Credits now?",
      description:
        "`personal` is measured against the personal limit that applies: the member's own, or else their billing group's Default Personal Limit; `personal.limitSource` says which (null when neither is set: the member cannot use Credits). Moving a member to another billing group changes the default that applies at once.",
      requestParams: { path: memberPathSchema },
      responses: {
        "200": json("Entitlement for the current period: which limit binds and what remains.", entitlementSchema),
        "400": refusal("No member, or one longer than 320 characters.", ["invalid_member"]),
        "404": refusal("Unknown or deactivated member, or one of another organization.", ["member_not_found"]),
        ...authenticatedRouteAnswers,
      },
    },
  },
  "/api/v1/billing-groups": {
    post: {
      operationId: "createBillingGroup",
      summary: "Create a billing group",
      description:
        "Needs the `admin` scope. The console's rules (R11, R42): a unique name (case-insensitive; `Unassigned` is reserved) and at most the organization's cap of live billing groups (100 by default). Audited with the API key's name as actor.",
      requestParams: { header: idempotencyHeader },
      requestBody: { required: true, content: { "application/json": { schema: createBillingGroupBodySchema } } },
      responses: {
        "201": settings("Created."),
        "400": refusal("Malformed JSON, an invalid body (naming the field), or a bad Idempotency-Key.", [
          "invalid_json",
          "invalid_body",
          "invalid_idempotency_key",
        ]),
        "402": refusal("The organization already has its maximum of live billing groups.", ["limit_exceeded"]),
        "409": json(
          "A live billing group already has that name (`conflict`, `fields.name`), or the Idempotency-Key was used for a different request (`idempotency_conflict`).",
          adminErrorSchema(["conflict", "idempotency_conflict"]),
        ),
        "413": adminBodyTooLarge,
        ...adminRouteAnswers,
      },
    },
    get: {
      operationId: "listBillingGroups",
      summary: "Billing groups with period usage",
      requestParams: { query: billingGroupsQuerySchema },
      responses: {
        "200": json(
          "`Unassigned` first (id `unassigned`), then billing groups by name. Deleted groups appear, flagged, only for periods with usage attributed to them.",
          billingGroupsPageSchema,
        ),
        "400": refusal("Invalid period.", ["invalid_period"]),
        ...authenticatedRouteAnswers,
      },
    },
  },
  "/api/v1/billing-groups/export": {
    get: {
      operationId: "exportBillingGroupBills",
      summary: "The CSV bill of a period",
      description:
        "Exactly the CSV of the console's Download CSV (R25–R27) for the same period and billing group scope: the same bytes.",
      requestParams: { query: billExportQuerySchema },
      responses: {
        "200": {
          description: "The bill as a CSV file.",
          headers: z.object({
            "Content-Disposition": text().meta({ description: "`attachment` with the file name of the bill." }),
          }),
          content: {
            "text/csv": {
              schema: text().meta({
                description: "UTF-8 CSV: one row per billing group and member with usage in the period (R25).",
              }),
            },
          },
        },
        "400": refusal("Invalid period or billing group.", ["invalid_input"]),
        "404": refusal("No such billing group in this organization.", ["not_found"]),
        ...authenticatedRouteAnswers,
      },
    },
  },
  "/api/v1/billing-groups/{id}": {
    get: {
      operationId: "getBillingGroup",
      summary: "A billing group's settings and version",
      description: "Needs the `read` scope. The `ETag` is the group's version, for `If-Match` on a later change.",
      requestParams: billingGroupPath,
      responses: {
        "200": settings("The live billing group."),
        "400": refusal("A control character in the path.", ["invalid_path"]),
        "404": billingGroupNotFound,
        ...adminRouteAnswers,
      },
    },
    patch: {
      operationId: "changeBillingGroup",
      summary: "Rename, redescribe or change the default personal limit",
      description:
        "Needs the `admin` scope. Only the fields given change, with the console's rules (R11, R42): a duplicate or reserved name is refused. Audited with the API key's name as actor.",
      requestParams: { ...billingGroupPath, header: ifMatchHeader },
      requestBody: { required: true, content: { "application/json": { schema: changeBillingGroupBodySchema } } },
      responses: {
        "200": settings("The billing group after the change."),
        "400": invalidIfMatchOrBody,
        "404": billingGroupNotFound,
        "409": json(
          "A live billing group already has that name (`conflict`, `fields.name`), or the id is `unassigned`, the system group, which cannot be changed (R10).",
          adminErrorSchema(["conflict"]),
        ),
        "412": stale,
        "413": adminBodyTooLarge,
        ...adminRouteAnswers,
      },
    },
    delete: {
      operationId: "deleteBillingGroup",
      summary: "Delete a billing group",
      description:
        "Needs the `admin` scope. `confirmName` must be the group's exact name (R13). Its members return to Unassigned; its name, usage and bills stay as they were.",
      requestParams: { ...billingGroupPath, header: ifMatchHeader },
      requestBody: { required: true, content: { "application/json": { schema: deleteBillingGroupBodySchema } } },
      responses: {
        "200": json("Deleted; how many members returned to Unassigned.", deletedBillingGroupSchema),
        "400": invalidIfMatchOrBody,
        "404": billingGroupNotFound,
        "409": json(
          "`confirmName` is not the group's name (`fields.confirmName`), or the id is `unassigned` (R10).",
          adminErrorSchema(["conflict"]),
        ),
        "412": stale,
        "413": adminBodyTooLarge,
        ...adminRouteAnswers,
      },
    },
  },
  "/api/v1/billing-groups/{id}/limit": {
    put: {
      operationId: "setBillingGroupPeriodLimit",
      summary: "Set or clear the period usage limit",
      description:
        "Needs the `admin` scope. A limit below the group's current usage is allowed; the group's members are then refused further usage this period (R19). `null` clears it.",
      requestParams: { ...billingGroupPath, header: ifMatchHeader },
      requestBody: { required: true, content: { "application/json": { schema: setPeriodLimitBodySchema } } },
      responses: {
        "200": settings("The billing group with its new limit."),
        "400": invalidIfMatchOrBody,
        "404": billingGroupNotFound,
        "409": json("The id is `unassigned`, which cannot have a limit (R10).", adminErrorSchema(["conflict"])),
        "412": stale,
        "413": adminBodyTooLarge,
        ...adminRouteAnswers,
      },
    },
  },
  "/api/v1/billing-groups/{id}/members": {
    post: {
      operationId: "assignMembers",
      summary: "Assign up to 1,000 members to a billing group",
      description:
        "Needs the `admin` scope. `id` may be `unassigned`. All or nothing: when any entry names no active member, nothing changes and each such entry is listed. Usage already recorded keeps its billing group (R12). One audit entry per member moved.",
      requestParams: { ...billingGroupPath, header: idempotencyHeader },
      requestBody: { required: true, content: { "application/json": { schema: assignMembersBodySchema } } },
      responses: {
        "200": json("Assigned.", assignmentResultSchema),
        "400": refusal("Malformed JSON, an invalid body, a bad Idempotency-Key, or a control character in the path.", [
          "invalid_json",
          "invalid_body",
          "invalid_idempotency_key",
          "invalid_path",
        ]),
        "404": {
          description:
            "No live billing group with that id (`not_found`), or members not found, each listed in `errors`.",
          content: { "application/json": { schema: z.union([itemsRefusedSchema, apiErrorSchema(["not_found"])]) } },
        },
        "409": refusal("The Idempotency-Key was used for a different request.", ["idempotency_conflict"]),
        "413": adminBodyTooLarge,
        ...adminRouteAnswers,
      },
    },
  },
  "/api/v1/members/{member}": {
    patch: {
      operationId: "changeMember",
      summary: "Change a member's personal limit or billing group",
      description:
        "Needs the `admin` scope. `personalLimit: null` removes the member's own limit, so their billing group's Default Personal Limit applies (R42); `billingGroup` takes a live group's id or `unassigned`.",
      requestParams: { path: memberPathSchema },
      requestBody: { required: true, content: { "application/json": { schema: changeMemberBodySchema } } },
      responses: {
        "200": json("The member after the change.", changedMemberSchema),
        "400": invalidBody,
        "404": {
          description:
            "No active member with that email or id (`member_not_found`), or no live billing group with that id (`not_found`).",
          content: { "application/json": { schema: apiErrorSchema(["member_not_found", "not_found"]) } },
        },
        "413": adminBodyTooLarge,
        ...adminRouteAnswers,
      },
    },
  },
  "/api/v1/members": {
    get: {
      operationId: "listMembers",
      summary: "Members, paginated",
      requestParams: { query: membersQuerySchema },
      responses: {
        "200": json("One page of members ordered by email.", membersPageSchema),
        "400": refusal("Invalid query.", ["invalid_query"]),
        ...authenticatedRouteAnswers,
      },
    },
  },
  "/api/v1/openapi.json": {
    get: {
      operationId: "getOpenApiDocument",
      summary: "This document",
      security: [],
      responses: {
        "200": json(
          "The OpenAPI 3.1 description of this API; public, like any API reference.",
          z.record(text(), z.unknown()),
        ),
      },
    },
  },
} satisfies ZodOpenApiPathsObject;

export const openApiDocument = createDocument({
  openapi: "3.1.0",
  info: {
    title: "Ledgerline API",
    version: "1.1.0",
    description:
      "Meter Credits consumption against personal and billing group limits (never overshot, under any concurrency), read billing groups and members, and manage billing groups, assignments and limits. Authenticate with an organization API key: `Authorization: Bearer ll_…`. Each key has scopes chosen when it is created: `usage` (record usage, entitlements), `read` (billing groups, members, bills) and `admin` (the changes); a key without the scope an operation needs gets 403 `insufficient_scope`.",
  },
  servers: [{ url: "/" }],
  security: [{ apiKey: [] }],
  paths: apiPaths,
  components: {
    securitySchemes: {
      apiKey: {
        type: "http",
        scheme: "bearer",
        description: "An organization API key from the console's API Keys screen.",
      },
    },
  },
});
