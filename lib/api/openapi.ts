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

/** What the shared plumbing of every authenticated route may answer: `authenticate` and `apiRoute` (lib/api/http.ts). */
const authenticatedRouteAnswers = { "401": unauthorized, "500": internal };

const payloadTooLarge = (limit: string) => refusal(`Body larger than ${limit}.`, ["payload_too_large"]);

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
    title: "Ledgerline Metering API",
    version: "1.0.0",
    description:
      "Meter Credits consumption against personal and billing group limits (never overshot, under any concurrency) and read billing groups and members. Authenticate with an organization API key: `Authorization: Bearer ll_…`.",
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
