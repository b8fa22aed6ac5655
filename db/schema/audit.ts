import { sql } from "drizzle-orm";
import { foreignKey, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { members } from "./members";
import { apiKeys } from "./api-keys";

// R36: append-only; written in the same transaction as the mutation it records.
export const auditLog = pgTable(
  "audit_log",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    id: uuid("id").notNull().defaultRandom(),
    actorId: uuid("actor_id"),
    /** R44: the API key that made the change (`actor_id` is null then; the label is the key's name). */
    actorApiKeyId: uuid("actor_api_key_id"),
    // Kept as written so the entry stays readable after the actor changes or leaves.
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    targetLabel: text("target_label").notNull().default(""),
    before: jsonb("before"),
    after: jsonb("after"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.actorId], foreignColumns: [members.orgId, members.id] }),
    index("audit_log_org_created_idx").on(t.orgId, t.createdAt),
    index("audit_log_org_actor_idx").on(t.orgId, t.actorId, t.createdAt),
    foreignKey({ columns: [t.orgId, t.actorApiKeyId], foreignColumns: [apiKeys.orgId, apiKeys.id] }),
    index("audit_log_org_actor_key_idx")
      .on(t.orgId, t.actorApiKeyId, t.createdAt)
      .where(sql`${t.actorApiKeyId} is not null`),
    index("audit_log_org_action_idx").on(t.orgId, t.action, t.createdAt),
    index("audit_log_org_target_idx").on(t.orgId, t.targetType, t.targetId),
    // R43: the Audit Log's Import filter — only entries written by an import carry `importId`.
    index("audit_log_org_import_idx")
      .on(t.orgId, sql`(${t.after} ->> 'importId')`, t.createdAt)
      .where(sql`(${t.after} ->> 'importId') is not null`),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
