import { foreignKey, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { members } from "./members";

// R29: only a SHA-256 of the secret is stored. Secrets are 256-bit random, so a slow hash adds
// nothing, and the hash is looked up before the org is known (the key names its org).
export const apiKeys = pgTable(
  "api_keys",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("api_keys_secret_hash_key").on(t.secretHash),
    foreignKey({ columns: [t.orgId, t.createdBy], foreignColumns: [members.orgId, members.id] }),
    foreignKey({ columns: [t.orgId, t.revokedBy], foreignColumns: [members.orgId, members.id] }),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
