import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { apiKeys } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/service";
import { NotFoundError } from "@/lib/errors";
import { generateApiKey } from "./rules";

/**
 * R29: creates a key and returns its secret — the only time it exists outside the caller's
 * screen. Only the SHA-256 is stored.
 */
export async function createApiKey(tx: Transaction, input: { orgId: string; actor: AuditActor; name: string }) {
  const key = generateApiKey();
  const [row] = await tx
    .insert(apiKeys)
    .values({
      orgId: input.orgId,
      name: input.name,
      prefix: key.prefix,
      secretHash: key.secretHash,
      createdBy: input.actor.id,
    })
    .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt });
  await recordAudit(tx, {
    orgId: input.orgId,
    actor: input.actor,
    action: "api_key.created",
    targetType: "api_key",
    targetId: row!.id,
    targetLabel: `${row!.name} (${row!.prefix})`,
    after: { name: row!.name, prefix: row!.prefix },
  });
  return { id: row!.id, name: row!.name, prefix: row!.prefix, secret: key.secret };
}

/** R29: a revoked key stops working on the next request (every request reads the key row). */
export async function revokeApiKey(tx: Transaction, input: { orgId: string; actor: AuditActor; id: string }) {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()`, revokedBy: input.actor.id })
    .where(and(eq(apiKeys.orgId, input.orgId), eq(apiKeys.id, input.id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
  if (!row) throw new NotFoundError("That API key");
  await recordAudit(tx, {
    orgId: input.orgId,
    actor: input.actor,
    action: "api_key.revoked",
    targetType: "api_key",
    targetId: row.id,
    targetLabel: `${row.name} (${row.prefix})`,
    before: { revoked: false },
    after: { revoked: true },
  });
  return row;
}
