import { sql } from "drizzle-orm";
import { foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { billingGroups, members } from "./members";

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
