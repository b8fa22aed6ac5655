import "server-only";
import type { Transaction } from "@/db";
import { auditLog } from "@/db/schema";

/** Who made a change: a member (`id`), or an API key (`apiKeyId`, R44; `id` null), named by `label`. */
export type AuditActor = { id: string | null; label: string; apiKeyId?: string | null };

export type AuditInput = {
  orgId: string;
  actor: AuditActor;
  action: string;
  targetType: string;
  targetId: string | null;
  targetLabel: string;
  before?: unknown;
  after?: unknown;
};

// JSON has no bigint: Credits in hundredths are written as strings so they stay exact.
function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/** R36: takes a transaction, never the pool, so the entry commits or rolls back with the change. */
export async function recordAudit(tx: Transaction, entry: AuditInput): Promise<void> {
  await tx.insert(auditLog).values({
    orgId: entry.orgId,
    actorId: entry.actor.id,
    actorApiKeyId: entry.actor.apiKeyId ?? null,
    actorLabel: entry.actor.label,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    targetLabel: entry.targetLabel,
    before: toJson(entry.before),
    after: toJson(entry.after),
  });
}
