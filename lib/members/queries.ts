import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { members, organizations } from "@/db/schema";

export type SignedInMember = {
  id: string;
  orgId: string;
  orgName: string;
  orgCreatedAt: Date;
  name: string;
  email: string;
  role: "admin" | "billing_admin" | "member";
  sessionsValidAfter: Date | null;
};

/** The live (not deactivated) member behind a session, with their org. Null when gone. */
export async function getActiveMemberById(
  db: Executor,
  params: { orgId: string; memberId: string },
): Promise<SignedInMember | null> {
  const rows = await db
    .select({
      id: members.id,
      orgId: members.orgId,
      orgName: organizations.name,
      orgCreatedAt: organizations.createdAt,
      name: members.name,
      email: members.email,
      role: members.role,
      sessionsValidAfter: members.sessionsValidAfter,
    })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.orgId))
    .where(and(eq(members.orgId, params.orgId), eq(members.id, params.memberId), isNull(members.deactivatedAt)))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * Sign-in runs before any org is known, so this is the one lookup by email across orgs, through a
 * narrow SECURITY DEFINER function (row-level security hides every member until the org is set).
 * The partial unique index `members_signin_email_key` guarantees at most one credentialed match.
 */
export async function findSignInCandidate(db: Executor, params: { email: string }) {
  const rows = await db.execute<{ id: string; org_id: string; password_hash: string | null; deactivated_at: Date | null }>(
    sql`select id, org_id, password_hash, deactivated_at from ledgerline_sign_in_candidate(${params.email})`,
  );
  const row = rows[0];
  return row ? { id: row.id, orgId: row.org_id, passwordHash: row.password_hash, deactivatedAt: row.deactivated_at } : null;
}

/** SSO: the single active member with this email, if exactly one exists. */
export async function findSsoCandidate(db: Executor, params: { email: string }) {
  const rows = await db.execute<{ id: string; org_id: string }>(sql`select id, org_id from ledgerline_sso_candidates(${params.email})`);
  return rows.length === 1 ? { id: rows[0]!.id, orgId: rows[0]!.org_id } : null;
}

/** Ends every session of a member issued up to now (sign-out, R4). */
export async function endMemberSessions(db: Executor, params: { orgId: string; memberId: string }): Promise<void> {
  await db
    .update(members)
    .set({ sessionsValidAfter: sql`now()` })
    .where(and(eq(members.orgId, params.orgId), eq(members.id, params.memberId)));
}
