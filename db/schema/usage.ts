import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { billingGroups, members } from "./members";
import { apiKeys } from "./api-keys";

const PERIOD_CHECK = "^[0-9]{4}-(0[1-9]|1[0-2])$";

// R21: every accepted event is attributed, when recorded, to the member's billing group of that
// moment (null = Unassigned) and to the period of the server clock. Never updated afterwards.
export const usageEvents = pgTable(
  "usage_events",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    memberId: uuid("member_id").notNull(),
    billingGroupId: uuid("billing_group_id"),
    period: text("period").notNull(),
    credits: bigint("credits", { mode: "bigint" }).notNull(),
    apiKeyId: uuid("api_key_id"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }),
    foreignKey({
      columns: [t.orgId, t.billingGroupId],
      foreignColumns: [billingGroups.orgId, billingGroups.id],
    }),
    foreignKey({ columns: [t.orgId, t.apiKeyId], foreignColumns: [apiKeys.orgId, apiKeys.id] }),
    // Details screens list a group's records for a period, newest first.
    index("usage_events_group_period_idx").on(t.orgId, t.period, t.billingGroupId, t.recordedAt),
    index("usage_events_member_period_idx").on(t.orgId, t.memberId, t.period, t.recordedAt),
    check("usage_events_credits_positive", sql`${t.credits} > 0`),
    check("usage_events_period_format", sql`${t.period} ~ '${sql.raw(PERIOD_CHECK)}'`),
  ],
);

// Per member × billing group × period: what exports and details read (R25, R15).
export const memberGroupPeriodUsage = pgTable(
  "member_group_period_usage",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    memberId: uuid("member_id").notNull(),
    billingGroupId: uuid("billing_group_id"),
    credits: bigint("credits", { mode: "bigint" }).notNull().default(sql`0`),
    eventCount: integer("event_count").notNull().default(0),
  },
  (t) => [
    // NULLS NOT DISTINCT (PostgreSQL ≥ 15) lets Unassigned (null) be one key like any group.
    unique("member_group_period_usage_key").on(t.orgId, t.period, t.billingGroupId, t.memberId).nullsNotDistinct(),
    index("member_group_period_usage_member_idx").on(t.orgId, t.memberId, t.period),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }),
    foreignKey({
      columns: [t.orgId, t.billingGroupId],
      foreignColumns: [billingGroups.orgId, billingGroups.id],
    }),
    check("member_group_period_usage_credits_nonneg", sql`${t.credits} >= 0`),
  ],
);

// Per member × period, across billing groups: the figure the personal limit binds (R18, R20).
export const memberPeriodUsage = pgTable(
  "member_period_usage",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    memberId: uuid("member_id").notNull(),
    period: text("period").notNull(),
    credits: bigint("credits", { mode: "bigint" }).notNull().default(sql`0`),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.memberId, t.period] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }),
    index("member_period_usage_period_idx").on(t.orgId, t.period),
    check("member_period_usage_credits_nonneg", sql`${t.credits} >= 0`),
  ],
);

// Per billing group × period (null = Unassigned): the list's Period Usage and the group limit (R14, R19).
export const groupPeriodUsage = pgTable(
  "group_period_usage",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    billingGroupId: uuid("billing_group_id"),
    credits: bigint("credits", { mode: "bigint" }).notNull().default(sql`0`),
  },
  (t) => [
    unique("group_period_usage_key").on(t.orgId, t.period, t.billingGroupId).nullsNotDistinct(),
    foreignKey({
      columns: [t.orgId, t.billingGroupId],
      foreignColumns: [billingGroups.orgId, billingGroups.id],
    }),
    check("group_period_usage_credits_nonneg", sql`${t.credits} >= 0`),
  ],
);

// R30: the idempotency key of an accepted event lives as long as the event.
export const idempotencyRecords = pgTable(
  "idempotency_records",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    eventId: uuid("event_id").notNull(),
    response: jsonb("response").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.key] }),
    foreignKey({ columns: [t.orgId, t.eventId], foreignColumns: [usageEvents.orgId, usageEvents.id] }).onDelete(
      "cascade",
    ),
    check("idempotency_records_key_len", sql`char_length(${t.key}) between 1 and 200`),
  ],
);

export type UsageEvent = typeof usageEvents.$inferSelect;
