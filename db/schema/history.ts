import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uuid,
  unique,
} from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { billingGroups, members } from "./members";

// Issue 18, period-true history: what a historical period shows is what applied at its end.
// One row per entity and period in which its settings changed, holding the values at the end of
// that period (a later change in the same period overwrites it). Written only by triggers on
// members and billing_groups (migration 0017), so no write path (console, API, import) can skip
// it; the period is the application clock's (`app.period`, set by withOrg), as for usage (R21).
// The value "as of the end of period P" is the row with the greatest period <= P.

const PERIOD_CHECK = "^[0-9]{4}-(0[1-9]|1[0-2])$";

export const billingGroupPeriodSettings = pgTable(
  "billing_group_period_settings",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    billingGroupId: uuid("billing_group_id").notNull(),
    period: text("period").notNull(),
    periodLimit: bigint("period_limit", { mode: "bigint" }),
    defaultPersonalLimit: bigint("default_personal_limit", { mode: "bigint" }),
    deleted: boolean("deleted").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.billingGroupId, t.period] }),
    foreignKey({
      columns: [t.orgId, t.billingGroupId],
      foreignColumns: [billingGroups.orgId, billingGroups.id],
    }).onDelete("cascade"),
    check("billing_group_period_settings_period_format", sql`${t.period} ~ '${sql.raw(PERIOD_CHECK)}'`),
  ],
);

export const memberPeriodSettings = pgTable(
  "member_period_settings",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    memberId: uuid("member_id").notNull(),
    period: text("period").notNull(),
    billingGroupId: uuid("billing_group_id"),
    personalLimit: bigint("personal_limit", { mode: "bigint" }),
    deactivated: boolean("deactivated").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.memberId, t.period] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete("cascade"),
    // A historical member count per group reads every member's latest row up to the period.
    index("member_period_settings_period_idx").on(t.orgId, t.period),
    check("member_period_settings_period_format", sql`${t.period} ~ '${sql.raw(PERIOD_CHECK)}'`),
  ],
);

// R45: Credits per billing group (null = Unassigned) per UTC day, kept by ledgerline_record_usage
// in the same statement as the event, under the group's usage row lock it already holds. Charts
// read this, never usage_events.
export const groupDailyUsage = pgTable(
  "group_daily_usage",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    billingGroupId: uuid("billing_group_id"),
    day: date("day", { mode: "string" }).notNull(),
    credits: bigint("credits", { mode: "bigint" }).notNull().default(sql`0`),
  },
  (t) => [
    unique("group_daily_usage_key").on(t.orgId, t.billingGroupId, t.day).nullsNotDistinct(),
    // INCLUDE (credits), added by migration 0023 (Drizzle cannot declare it): the overview's sums
    // per day are an index-only scan.
    index("group_daily_usage_org_day_idx").on(t.orgId, t.day),
    foreignKey({
      columns: [t.orgId, t.billingGroupId],
      foreignColumns: [billingGroups.orgId, billingGroups.id],
    }),
    check("group_daily_usage_credits_nonneg", sql`${t.credits} >= 0`),
  ],
);

// Issue 19: the net change in each billing group's (null = Unassigned) active members during a
// period, kept by a trigger on members (migration 0021) under the same period as the settings
// history. A group's member count at the end of period P is the sum of its changes in periods
// <= P — at most groups × periods rows, where counting from member_period_settings reads every
// member's latest row. The same sum over every period equals the live count.
export const groupPeriodMemberChanges = pgTable(
  "group_period_member_changes",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    billingGroupId: uuid("billing_group_id"),
    period: text("period").notNull(),
    memberCountChange: integer("member_count_change").notNull().default(0),
  },
  (t) => [
    unique("group_period_member_changes_key").on(t.orgId, t.billingGroupId, t.period).nullsNotDistinct(),
    foreignKey({
      columns: [t.orgId, t.billingGroupId],
      foreignColumns: [billingGroups.orgId, billingGroups.id],
    }).onDelete("cascade"),
    check("group_period_member_changes_period_format", sql`${t.period} ~ '${sql.raw(PERIOD_CHECK)}'`),
  ],
);
