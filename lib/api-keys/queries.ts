import "server-only";
import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { apiKeys, members } from "@/db/schema";
import { type ApiKeyScope, hashApiKey, looksLikeApiKey, sameDigest } from "./rules";

export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  createdBy: string | null;
  /** R29: a key outlives its creator's deactivation, so the list says when that happened. */
  createdByDeactivated: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  scopes: ApiKeyScope[];
};

/** The API Keys screen: every key of the org, live ones first, newest first. */
export async function listApiKeys(db: Executor, params: { orgId: string }): Promise<ApiKeyRow[]> {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdBy: members.name,
      createdByDeactivated: sql<boolean>`${members.deactivatedAt} is not null`,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      scopes: apiKeys.scopes,
    })
    .from(apiKeys)
    .leftJoin(members, and(eq(members.orgId, apiKeys.orgId), eq(members.id, apiKeys.createdBy)))
    .where(eq(apiKeys.orgId, params.orgId))
    .orderBy(sql`${apiKeys.revokedAt} is not null`, desc(apiKeys.createdAt));
}

/** The live keys a member created: what their deactivation offers to revoke (issue 22). */
export async function countLiveApiKeysCreatedBy(
  db: Executor,
  params: { orgId: string; memberId: string },
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, params.orgId), eq(apiKeys.createdBy, params.memberId), isNull(apiKeys.revokedAt)));
  return row?.n ?? 0;
}

export type AuthenticatedKey = { orgId: string; apiKeyId: string };

/** A live key as the API sees it: its org, its name (the audit actor, R44) and its scopes. */
export type LiveApiKey = AuthenticatedKey & { name: string; scopes: ApiKeyScope[] };

/**
 * The API request names no org; its key does. So this is the one narrow lookup outside
 * `withOrg`: by the unique secret hash, returning only the org and key id of a live key.
 */
export async function findLiveApiKeyBySecret(db: Executor, params: { secret: string }): Promise<LiveApiKey | null> {
  if (!looksLikeApiKey(params.secret)) return null;
  const digest = hashApiKey(params.secret);
  // Row-level security hides every org's keys until the org is known; this SECURITY DEFINER
  // function answers exactly one key by its hash (db/migrations/0003_row_level_security.sql).
  const rows = await db.execute<{
    id: string;
    org_id: string;
    secret_hash: string;
    revoked_at: Date | null;
    name: string;
    scopes: ApiKeyScope[];
  }>(sql`select id, org_id, secret_hash, revoked_at, name, scopes from ledgerline_api_key_by_hash(${digest})`);
  const row = rows[0];
  if (!row || row.revoked_at || !sameDigest(row.secret_hash, digest)) return null;
  return { orgId: row.org_id, apiKeyId: row.id, name: row.name, scopes: row.scopes };
}

// Last-used time is informational: written at most once a minute per key per process, so the
// hot ingestion path does not turn every request into an extra row update.
const LAST_USED_RESOLUTION_MS = 60_000;
const globalForKeys = globalThis as unknown as { ledgerlineKeyTouches?: Map<string, number> };
globalForKeys.ledgerlineKeyTouches ??= new Map();
const touches: Map<string, number> = globalForKeys.ledgerlineKeyTouches;

/** True at most once a minute per key (per process): the caller then records the last use. */
export function apiKeyNeedsTouch(key: AuthenticatedKey): boolean {
  const nowMs = Date.now();
  const last = touches.get(key.apiKeyId);
  if (last !== undefined && nowMs - last < LAST_USED_RESOLUTION_MS) return false;
  if (touches.size > 10_000) touches.clear();
  touches.set(key.apiKeyId, nowMs);
  return true;
}

export async function touchApiKey(db: Executor, key: AuthenticatedKey): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.orgId, key.orgId),
        eq(apiKeys.id, key.apiKeyId),
        sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < now() - interval '1 minute')`,
      ),
    );
}
