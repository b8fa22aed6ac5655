import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { apiKeys } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/service";
import { NotFoundError } from "@/lib/errors";
import { type ApiKeyScope, generateApiKey, orderScopes } from "./rules";

/**
 * R29: creates a key and returns its secret — the only time it exists outside the caller's
 * screen. Only the SHA-256 is stored.
 */
export async function createApiKey(
  tx: Transaction,
  input: { orgId: string; actor: AuditActor; name: string; scopes: readonly ApiKeyScope[] },
) {
  const key = generateApiKey();
  const [row] = await tx
    .insert(apiKeys)
    .values({
      orgId: input.orgId,
      name: input.name,
      prefix: key.prefix,
      secretHash: key.secretHash,
      createdBy: input.actor.id,
      scopes: orderScopes(input.scopes),
    })
    .returning({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
    });
  await recordAudit(tx, {
    orgId: input.orgId,
    actor: input.actor,
    action: "api_key.created",
    targetType: "api_key",
    targetId: row!.id,
    targetLabel: `${row!.name} (${row!.prefix})`,
    after: { name: row!.name, prefix: row!.prefix, scopes: row!.scopes },
  });
  return { id: row!.id, name: row!.name, prefix: row!.prefix, scopes: row!.scopes, secret: key.secret };
}

type RevokedApiKey = { id: string; name: string; prefix: string };

const revokedColumns = { id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix };

/** One audit entry per revoked key, the same whichever path revoked it (R36). */
async function recordRevocation(tx: Transaction, orgId: string, actor: AuditActor, key: RevokedApiKey) {
  await recordAudit(tx, {
    orgId,
    actor,
    action: "api_key.revoked",
    targetType: "api_key",
    targetId: key.id,
    targetLabel: `${key.name} (${key.prefix})`,
    before: { revoked: false },
    after: { revoked: true },
  });
}

/** R29: a revoked key stops working on the next request (every request reads the key row). */
export async function revokeApiKey(tx: Transaction, input: { orgId: string; actor: AuditActor; id: string }) {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()`, revokedBy: input.actor.id })
    .where(and(eq(apiKeys.orgId, input.orgId), eq(apiKeys.id, input.id), isNull(apiKeys.revokedAt)))
    .returning(revokedColumns);
  if (!row) throw new NotFoundError("That API key");
  await recordRevocation(tx, input.orgId, input.actor, row);
  return row;
}

/**
 * Issue 22: revokes every live key a member created, when the admin deactivating them asks to.
 * Keys already revoked are left alone (no second audit entry); a concurrent manual revoke of the
 * same key waits on its row and then finds it revoked, so each key is revoked and audited once.
 */
export async function revokeApiKeysCreatedBy(
  tx: Transaction,
  input: { orgId: string; actor: AuditActor; memberId: string },
): Promise<RevokedApiKey[]> {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()`, revokedBy: input.actor.id })
    .where(and(eq(apiKeys.orgId, input.orgId), eq(apiKeys.createdBy, input.memberId), isNull(apiKeys.revokedAt)))
    .returning(revokedColumns);
  for (const row of rows) await recordRevocation(tx, input.orgId, input.actor, row);
  return rows;
}
