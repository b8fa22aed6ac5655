// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json (issue 5).

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});
const json = (description: string, ref: string) => ({
  description,
  content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const credits = {
  type: "string",
  pattern: "^\\d{1,13}(\\.\\d{1,2})?$",
  examples: ["1.25"],
  description: "Credits as a decimal string (at most 2 decimals).",
};
const nullableCredits = {
  type: ["string", "null"],
  description: "Credits as a decimal string; null when no limit applies.",
};

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Ledgerline Metering API",
    version: "1.0.0",
    description:
      "Meter Credits consumption against personal and billing group limits (never overshot, under any concurrency) and read billing groups and members. Authenticate with an organization API key: `Authorization: Bearer ll_…`.",
  },
  servers: [{ url: "/" }],
  security: [{ apiKey: [] }],
  paths: {
    "/api/v1/usage": {
      post: {
        summary: "Record one usage event",
        description:
          "Accepted only if the member's period usage stays within their personal limit and, if their billing group has one, the group's period usage within its limit. A rejected request records nothing. Replaying an accepted idempotencyKey with the same body returns the original result with 200; with a different body, 409.",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/UsageEvent" } } },
        },
        responses: {
          "201": json("Accepted and recorded.", "AcceptedUsage"),
          "200": json("Replay of an accepted event; nothing new recorded.", "AcceptedUsage"),
          "400": error("Malformed JSON (`invalid_json`) or invalid body (`invalid_body`)."),
          "401": error("Missing, unknown or revoked API key (`unauthorized`)."),
          "402": error("Rejected: `personal_limit_not_configured`, `personal_limit_reached` or `group_limit_reached`."),
          "404": error("Unknown or deactivated member (`member_not_found`)."),
          "409": error("idempotencyKey already used for a different event (`idempotency_conflict`)."),
          "413": error("Body larger than 16 KB (`payload_too_large`)."),
        },
      },
    },
    "/api/v1/usage/batch": {
      post: {
        summary: "Record up to 1,000 usage events",
        description:
          "Each event is judged in order as if sent alone to POST /api/v1/usage; results come back per event, in order.",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["events"],
                properties: {
                  events: {
                    type: "array",
                    minItems: 1,
                    maxItems: 1000,
                    items: { $ref: "#/components/schemas/UsageEvent" },
                  },
                },
              },
            },
          },
        },
        responses: {
          "200": json("Per-event results.", "BatchResult"),
          "400": error("Malformed JSON, no events, or more than 1,000 events (`batch_too_large`)."),
          "401": error("Missing, unknown or revoked API key."),
          "413": error("Body larger than 1 MB."),
        },
      },
    },
    "/api/v1/members/{member}/entitlement": {
      get: {
        summary: "Can this member use Credits now?",
        parameters: [
          {
            name: "member",
            in: "path",
            required: true,
            schema: { type: "string" },
            description: "Member email or id.",
          },
        ],
        responses: {
          "200": json("Entitlement for the current period.", "Entitlement"),
          "401": error("Missing, unknown or revoked API key."),
          "404": error("Unknown or deactivated member."),
        },
      },
    },
    "/api/v1/billing-groups": {
      get: {
        summary: "Billing groups with period usage",
        parameters: [
          {
            name: "period",
            in: "query",
            schema: { type: "string", pattern: "^\\d{4}-(0[1-9]|1[0-2])$" },
            description: "YYYY-MM; defaults to the current period.",
          },
        ],
        responses: {
          "200": {
            description:
              "`Unassigned` first (id `unassigned`), then billing groups by name. Deleted groups appear, flagged, only for periods with usage attributed to them.",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    period: { type: "string" },
                    billingGroups: { type: "array", items: { $ref: "#/components/schemas/BillingGroup" } },
                  },
                },
              },
            },
          },
          "400": error("Invalid period."),
          "401": error("Missing, unknown or revoked API key."),
        },
      },
    },
    "/api/v1/members": {
      get: {
        summary: "Members, paginated",
        parameters: [
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 100 } },
          {
            name: "cursor",
            in: "query",
            schema: { type: "string" },
            description: "`nextCursor` of the previous page.",
          },
          { name: "email", in: "query", schema: { type: "string" }, description: "Exact email, case-insensitive." },
          {
            name: "billingGroup",
            in: "query",
            schema: { type: "string" },
            description: "Billing group id or `unassigned`.",
          },
          {
            name: "includeDeactivated",
            in: "query",
            schema: { type: "string", enum: ["true", "false"], default: "false" },
          },
        ],
        responses: {
          "200": {
            description: "One page of members ordered by email.",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    members: { type: "array", items: { $ref: "#/components/schemas/Member" } },
                    nextCursor: { type: ["string", "null"] },
                  },
                },
              },
            },
          },
          "400": error("Invalid query."),
          "401": error("Missing, unknown or revoked API key."),
        },
      },
    },
  },
  components: {
    securitySchemes: {
      apiKey: {
        type: "http",
        scheme: "bearer",
        description: "An organization API key from the console's API Keys screen.",
      },
    },
    schemas: {
      Error: {
        type: "object",
        required: ["error", "message"],
        properties: { error: { type: "string" }, message: { type: "string" } },
      },
      UsageEvent: {
        type: "object",
        additionalProperties: false,
        required: ["member", "credits", "idempotencyKey"],
        properties: {
          member: { type: "string", description: "Member email (case-insensitive) or id." },
          credits: { ...credits, description: "Positive Credits, at most 2 decimals, at most 1,000,000,000,000." },
          idempotencyKey: { type: "string", minLength: 1, maxLength: 200 },
        },
      },
      Figures: { type: "object", properties: { used: credits, limit: nullableCredits, remaining: nullableCredits } },
      BillingGroupRef: {
        type: "object",
        properties: {
          id: { type: "string", description: "Billing group id or `unassigned`." },
          name: { type: "string" },
        },
      },
      AcceptedUsage: {
        type: "object",
        properties: {
          eventId: { type: "string", format: "uuid" },
          period: { type: "string", examples: ["2026-11"] },
          recordedAt: { type: "string", format: "date-time" },
          member: { type: "object", properties: { id: { type: "string" }, email: { type: "string" } } },
          credits,
          billingGroup: { $ref: "#/components/schemas/BillingGroupRef" },
          personal: { $ref: "#/components/schemas/Figures" },
          group: { $ref: "#/components/schemas/Figures" },
        },
      },
      BatchResult: {
        type: "object",
        properties: {
          summary: {
            type: "object",
            properties: { accepted: { type: "integer" }, replayed: { type: "integer" }, rejected: { type: "integer" } },
          },
          results: {
            type: "array",
            items: {
              type: "object",
              properties: {
                index: { type: "integer" },
                status: { type: "integer" },
                body: {
                  oneOf: [{ $ref: "#/components/schemas/AcceptedUsage" }, { $ref: "#/components/schemas/Error" }],
                },
              },
            },
          },
        },
      },
      Entitlement: {
        type: "object",
        properties: {
          member: {
            type: "object",
            properties: { id: { type: "string" }, email: { type: "string" }, name: { type: "string" } },
          },
          period: { type: "string" },
          canUse: { type: "boolean" },
          reason: {
            type: ["string", "null"],
            enum: ["personal_limit_not_configured", "personal_limit_reached", "group_limit_reached", null],
          },
          message: { type: ["string", "null"] },
          billingGroup: { $ref: "#/components/schemas/BillingGroupRef" },
          personal: { $ref: "#/components/schemas/Figures" },
          group: { $ref: "#/components/schemas/Figures" },
        },
      },
      BillingGroup: {
        type: "object",
        properties: {
          id: { type: "string" },
          name: { type: "string" },
          description: { type: "string" },
          members: { type: "integer" },
          periodUsage: credits,
          periodLimit: nullableCredits,
          deleted: { type: "boolean" },
        },
      },
      Member: {
        type: "object",
        properties: {
          id: { type: "string" },
          name: { type: "string" },
          email: { type: "string" },
          role: { type: "string", enum: ["admin", "billing_admin", "member"] },
          billingGroup: { $ref: "#/components/schemas/BillingGroupRef" },
          personalLimit: nullableCredits,
          periodUsage: credits,
          deactivated: { type: "boolean" },
        },
      },
    },
  },
} as const;
