import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { billingGroups, members } from "./members";

export const ALERT_EVENT_TYPES = ["threshold.crossed", "threshold.resolved", "forecast.exceeds"] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];
/** `ping` is `Send Test Event` (R41): it goes to the one endpoint it was sent to, nowhere else. */
export const EVENT_TYPES = [...ALERT_EVENT_TYPES, "ping"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

// R40: the outbox. An event row is written in the same transaction as the usage or limit change
// that caused it (the usage one inside `ledgerline_record_usage`), so a rolled-back change leaves
// none. It is also the Notifications list: what a member may see is decided when it is read (the
// member's role and viewer grants of that moment), never copied per member. `data` is the payload
// exactly as deliveries carry it (R40's event data), fixed when the event happened.
// `dispatched_at` is set once the event's email and webhook deliveries exist (lib/events).
export const events = pgTable(
  "events",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    type: text("type").$type<EventType>().notNull(),
    billingGroupId: uuid("billing_group_id"),
    period: text("period"),
    threshold: smallint("threshold"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      name: "events_billing_group_fk",
      columns: [t.orgId, t.billingGroupId],
      foreignColumns: [billingGroups.orgId, billingGroups.id] as [AnyPgColumn, AnyPgColumn],
    }),
    // The Notifications list, newest first; the dispatcher's sweep.
    index("events_org_created_idx").on(t.orgId, t.createdAt),
    index("events_undispatched_idx").on(t.createdAt).where(sql`${t.dispatchedAt} is null`),
    // R40: `forecast.exceeds` at most once per period per group, whichever worker evaluates it.
    uniqueIndex("events_forecast_once_key")
      .on(t.orgId, t.billingGroupId, t.period)
      .where(sql`${t.type} = 'forecast.exceeds'`),
    check("events_type", sql`${t.type} in ('threshold.crossed', 'threshold.resolved', 'forecast.exceeds', 'ping')`),
    check("events_threshold_range", sql`${t.threshold} is null or ${t.threshold} between 1 and 100`),
  ],
);

export type EventRow = typeof events.$inferSelect;

// R40: what a member has read in the Notifications list (unread = visible and not here).
export const notificationReads = pgTable(
  "notification_reads",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    memberId: uuid("member_id").notNull(),
    eventId: uuid("event_id").notNull(),
    readAt: timestamp("read_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.memberId, t.eventId] }),
    foreignKey({
      name: "notification_reads_member_fk",
      columns: [t.orgId, t.memberId],
      foreignColumns: [members.orgId, members.id] as [AnyPgColumn, AnyPgColumn],
    }).onDelete("cascade"),
    foreignKey({
      name: "notification_reads_event_fk",
      columns: [t.orgId, t.eventId],
      foreignColumns: [events.orgId, events.id] as [AnyPgColumn, AnyPgColumn],
    }).onDelete("cascade"),
  ],
);

// R41: a webhook endpoint. The signing secret is stored encrypted (lib/crypto/secret-box.ts) and
// shown once, when created or rotated. `event_types` lists the alert types it receives.
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    url: text("url").notNull(),
    eventTypes: text("event_types").array().$type<AlertEventType[]>().notNull(),
    secretCiphertext: text("secret_ciphertext").notNull(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    secretRotatedAt: timestamp("secret_rotated_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      name: "webhook_endpoints_created_by_fk",
      columns: [t.orgId, t.createdBy],
      foreignColumns: [members.orgId, members.id] as [AnyPgColumn, AnyPgColumn],
    }),
    check("webhook_endpoints_url_len", sql`char_length(${t.url}) between 8 and 2048`),
    check(
      "webhook_endpoints_event_types",
      sql`cardinality(${t.eventTypes}) >= 1 and ${t.eventTypes} <@ array['threshold.crossed', 'threshold.resolved', 'forecast.exceeds']::text[]`,
    ),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

export const DELIVERY_CHANNELS = ["email", "webhook"] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export const EVENT_DELIVERY_STATUSES = ["queued", "retrying", "succeeded", "failed"] as const;
export type EventDeliveryStatus = (typeof EVENT_DELIVERY_STATUSES)[number];

// R40/R41: one event to one place (a recipient's inbox or a webhook endpoint), each with its own
// retries, so one failing channel or endpoint never holds up another. The unique key makes the
// fan-out of an event happen once, however many dispatchers run. `window_started_at` opens the
// 24-hour retry window (a `Resend` opens a new one); `lease_until` is the claim of the worker
// sending it, as for statements.
export const eventDeliveries = pgTable(
  "event_deliveries",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    eventId: uuid("event_id").notNull(),
    channel: text("channel").$type<DeliveryChannel>().notNull(),
    endpointId: uuid("endpoint_id"),
    email: text("email"),
    emailKey: text("email_key").generatedAlwaysAs(sql`lower(email)`),
    status: text("status").$type<EventDeliveryStatus>().notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique("event_deliveries_once_key").on(t.orgId, t.eventId, t.channel, t.endpointId, t.emailKey).nullsNotDistinct(),
    foreignKey({
      name: "event_deliveries_event_fk",
      columns: [t.orgId, t.eventId],
      foreignColumns: [events.orgId, events.id] as [AnyPgColumn, AnyPgColumn],
    }).onDelete("cascade"),
    foreignKey({
      name: "event_deliveries_endpoint_fk",
      columns: [t.orgId, t.endpointId],
      foreignColumns: [webhookEndpoints.orgId, webhookEndpoints.id] as [AnyPgColumn, AnyPgColumn],
    }).onDelete("cascade"),
    // An endpoint's delivery log, newest first; the sweep for due work.
    index("event_deliveries_endpoint_idx").on(t.orgId, t.endpointId, t.createdAt),
    index("event_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} in ('queued', 'retrying')`),
    check("event_deliveries_channel", sql`${t.channel} in ('email', 'webhook')`),
    check(
      "event_deliveries_target",
      sql`(${t.channel} = 'email' and ${t.email} is not null and ${t.endpointId} is null) or (${t.channel} = 'webhook' and ${t.endpointId} is not null and ${t.email} is null)`,
    ),
    check("event_deliveries_status", sql`${t.status} in ('queued', 'retrying', 'succeeded', 'failed')`),
  ],
);

export type EventDelivery = typeof eventDeliveries.$inferSelect;

// R41: every attempt of a delivery (the log shows a 500 and the 200 after it).
export const eventDeliveryAttempts = pgTable(
  "event_delivery_attempts",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    deliveryId: uuid("delivery_id").notNull(),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      name: "event_delivery_attempts_delivery_fk",
      columns: [t.orgId, t.deliveryId],
      foreignColumns: [eventDeliveries.orgId, eventDeliveries.id] as [AnyPgColumn, AnyPgColumn],
    }).onDelete("cascade"),
    index("event_delivery_attempts_delivery_idx").on(t.orgId, t.deliveryId, t.attempt),
  ],
);
