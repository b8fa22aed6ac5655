import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { members } from "./members";

// R5–R8: functional groupings. They never touch Credits attribution and have no limits.
export const groups = pgTable(
  "groups",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("groups_org_name_key").on(t.orgId, sql`lower(${t.name})`),
    foreignKey({ columns: [t.orgId, t.createdBy], foreignColumns: [members.orgId, members.id] }),
    check("groups_name_len", sql`char_length(${t.name}) between 1 and 100`),
    check("groups_description_len", sql`char_length(${t.description}) <= 500`),
  ],
);

export const groupMemberships = pgTable(
  "group_memberships",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    groupId: uuid("group_id").notNull(),
    memberId: uuid("member_id").notNull(),
    addedBy: uuid("added_by"),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.groupId, t.memberId] }),
    // R7: deleting a group deletes its relationships only.
    foreignKey({ columns: [t.orgId, t.groupId], foreignColumns: [groups.orgId, groups.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.orgId, t.addedBy], foreignColumns: [members.orgId, members.id] }),
    index("group_memberships_member_idx").on(t.orgId, t.memberId),
  ],
);

export type Group = typeof groups.$inferSelect;
