import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  check,
  foreignKey,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { PgTableExtraConfigValue } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { billingGroups } from "./billing-groups";

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
