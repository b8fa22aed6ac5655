import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { PgTableExtraConfigValue } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { members } from "./members";

export const billingGroups = pgTable(
  "billing_groups",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    // R19: Credits in hundredths; null = no group-level limit.
    periodLimit: bigint("period_limit", { mode: "bigint" }),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    // Optimistic concurrency for concurrent edits (R38).
    version: integer("version").notNull().default(1),
    // R13: soft delete keeps the name for history and exports.
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    deletedBy: uuid("deleted_by"),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // R11: unique among live groups only, so a deleted group's name can be reused.
    uniqueIndex("billing_groups_org_live_name_key")
      .on(t.orgId, sql`lower(${t.name})`)
      .where(sql`${t.deletedAt} is null`),
    index("billing_groups_org_created_idx").on(t.orgId, t.createdAt),
    foreignKey({
      name: "billing_groups_created_by_fk",
      columns: [t.orgId, t.createdBy],
      foreignColumns: [members.orgId, members.id] as [AnyPgColumn, AnyPgColumn],
    }),
    foreignKey({
      name: "billing_groups_deleted_by_fk",
      columns: [t.orgId, t.deletedBy],
      foreignColumns: [members.orgId, members.id] as [AnyPgColumn, AnyPgColumn],
    }),
    check("billing_groups_name_len", sql`char_length(${t.name}) between 1 and 100`),
    check("billing_groups_description_len", sql`char_length(${t.description}) <= 500`),
    // R10: "Unassigned" is the system group; no real group may take the name.
    check("billing_groups_name_not_reserved", sql`lower(${t.name}) <> 'unassigned'`),
    check("billing_groups_period_limit_positive", sql`${t.periodLimit} is null or ${t.periodLimit} > 0`),
  ],
);

// R33: members granted read access to specific billing groups.
export const billingGroupViewers = pgTable(
  "billing_group_viewers",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    billingGroupId: uuid("billing_group_id").notNull(),
    memberId: uuid("member_id").notNull(),
    grantedBy: uuid("granted_by"),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.billingGroupId, t.memberId] }),
    foreignKey({
      columns: [t.orgId, t.billingGroupId],
      foreignColumns: [billingGroups.orgId, billingGroups.id],
    }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.grantedBy], foreignColumns: [members.orgId, members.id] }),
    index("billing_group_viewers_member_idx").on(t.orgId, t.memberId),
  ],
);

// R34: up to 10 bill recipients per billing group (the cap is enforced by the service).
export const billingGroupRecipients = pgTable(
  "billing_group_recipients",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    billingGroupId: uuid("billing_group_id").notNull(),
    id: uuid("id").notNull().defaultRandom(),
    email: text("email").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("billing_group_recipients_email_key").on(t.orgId, t.billingGroupId, sql`lower(${t.email})`),
    foreignKey({
      columns: [t.orgId, t.billingGroupId],
      foreignColumns: [billingGroups.orgId, billingGroups.id],
    }).onDelete("cascade"),
  ],
);

// R34: one row per bill mailed, so a closed period is never mailed twice.
export const billDeliveries = pgTable(
  "bill_deliveries",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    billingGroupId: uuid("billing_group_id").notNull(),
    period: text("period").notNull(),
    email: text("email").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.billingGroupId, t.period, t.email] }),
    foreignKey({
      columns: [t.orgId, t.billingGroupId],
      foreignColumns: [billingGroups.orgId, billingGroups.id],
    }),
  ],
);

export type BillingGroup = typeof billingGroups.$inferSelect;
