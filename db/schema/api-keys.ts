import { sql } from "drizzle-orm";
import {
  check,
  foreignKey,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
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
    // R44: what the key may do. Keys made before scopes existed got `usage` and `read` (migration 0015).
    // The values mirror API_KEY_SCOPES (lib/api-keys/rules.ts); the check constraint below holds them.
    scopes: text("scopes")
      .array()
      .$type<("usage" | "read" | "admin")[]>()
      .notNull()
      .default(sql`'{usage,read}'::text[]`),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("api_keys_secret_hash_key").on(t.secretHash),
    foreignKey({ columns: [t.orgId, t.createdBy], foreignColumns: [members.orgId, members.id] }),
    foreignKey({ columns: [t.orgId, t.revokedBy], foreignColumns: [members.orgId, members.id] }),
    check(
      "api_keys_scopes_known",
      sql`cardinality(${t.scopes}) >= 1 and ${t.scopes} <@ array['usage','read','admin']::text[]`,
    ),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;

/**
 * R44: the first result of an admin API `POST` sent with an `Idempotency-Key`, per key. Written in
 * the same transaction as the change it answers for, so a retry either finds it or finds nothing
 * changed; a concurrent retry waits on the primary key until the first one commits.
 */
export const apiIdempotencyRecords = pgTable(
  "api_idempotency_records",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    apiKeyId: uuid("api_key_id").notNull(),
    key: text("key").notNull(),
    /** Method and path template, e.g. `POST /api/v1/billing-groups`: a key is never reused across routes. */
    operation: text("operation").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    response: jsonb("response").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.apiKeyId, t.key] }),
    foreignKey({ columns: [t.orgId, t.apiKeyId], foreignColumns: [apiKeys.orgId, apiKeys.id] }).onDelete("cascade"),
    check("api_idempotency_records_key_len", sql`char_length(${t.key}) between 1 and 200`),
  ],
);
