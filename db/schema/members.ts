import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  check,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { PgTableExtraConfigValue } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

// `members` and `billing_groups` reference each other (a member's current billing group, R9; a
// group's creator and deleter), so both tables live in this one module: no schema import cycle.

export const memberRole = pgEnum("member_role", ["admin", "billing_admin", "member"]);

export const members = pgTable(
  "members",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    role: memberRole("role").notNull().default("member"),
    // R17/R18: Credits in integer hundredths; null = not configured (cannot use Credits).
    personalLimit: bigint("personal_limit", { mode: "bigint" }),
    // R9: the one current billing group; null = Unassigned.
    billingGroupId: uuid("billing_group_id"),
    passwordHash: text("password_hash"),
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
    // Sign-out (or an admin) ends every session issued before this instant: JWTs cannot be
    // recalled, so the guard compares their issue time against it on every request.
    sessionsValidAfter: timestamp("sessions_valid_after", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t): PgTableExtraConfigValue[] => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // R2: email unique per org, case-insensitive.
    uniqueIndex("members_org_email_key").on(t.orgId, sql`lower(${t.email})`),
    // A sign-in identity (email + password) must resolve to exactly one member across orgs.
    uniqueIndex("members_signin_email_key").on(sql`lower(${t.email})`).where(sql`${t.passwordHash} is not null`),
    // R1: composite FK, so a member can never point at another org's billing group.
    foreignKey({
      name: "members_billing_group_fk",
      columns: [t.orgId, t.billingGroupId],
      foreignColumns: [billingGroups.orgId, billingGroups.id] as [AnyPgColumn, AnyPgColumn],
    }),
    index("members_org_billing_group_idx").on(t.orgId, t.billingGroupId),
    // Issue 8: member counts per billing group (Billing Groups list, Members totals) read this
    // partial index alone (index-only scan) instead of every member row, and the Members list
    // filtered by a billing group walks it in name order instead of sorting the group's members.
    index("members_active_billing_group_name_idx")
      .on(t.orgId, t.billingGroupId, t.name, t.id)
      .where(sql`${t.deactivatedAt} is null`),
    // Issue 8: the Members search (substring, case-insensitive, R2) through trigram indexes
    // instead of a scan of the org's members (pg_trgm, created by the migration).
    index("members_name_trgm_idx").using("gin", t.name.op("gin_trgm_ops")),
    index("members_email_trgm_idx").using("gin", t.email.op("gin_trgm_ops")),
    index("members_org_name_idx").on(t.orgId, t.name, t.id),
    check("members_personal_limit_nonneg", sql`${t.personalLimit} is null or ${t.personalLimit} >= 0`),
    check("members_name_len", sql`char_length(${t.name}) between 1 and 200`),
  ],
);

export type Member = typeof members.$inferSelect;
export type MemberRole = (typeof memberRole.enumValues)[number];

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
    // R42: Credits in hundredths a member of this group may use per period when they have no
    // personal limit of their own; null = no default (such members stay blocked, R18).
    defaultPersonalLimit: bigint("default_personal_limit", { mode: "bigint" }),
    // R40: alert thresholds, percents of the period limit (1–5 of them, each 1–100, kept sorted).
    alertThresholds: smallint("alert_thresholds").array().notNull().default(sql`'{75,90,100}'`),
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
    check(
      "billing_groups_default_personal_limit_nonneg",
      sql`${t.defaultPersonalLimit} is null or ${t.defaultPersonalLimit} >= 0`,
    ),
    check(
      "billing_groups_alert_thresholds_range",
      sql`cardinality(${t.alertThresholds}) between 1 and 5 and 1 <= all(${t.alertThresholds}) and 100 >= all(${t.alertThresholds})`,
    ),
  ],
);

export type BillingGroup = typeof billingGroups.$inferSelect;
