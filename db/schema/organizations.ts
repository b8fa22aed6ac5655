import { integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

// The tenant root. Its own id is the org_id every other table carries (R1).
export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  // R11: per-org cap on live billing groups.
  billingGroupCap: integer("billing_group_cap").notNull().default(100),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Organization = typeof organizations.$inferSelect;
