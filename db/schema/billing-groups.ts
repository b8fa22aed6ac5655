import { foreignKey, index, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
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
