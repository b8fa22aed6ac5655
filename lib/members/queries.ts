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
 * Sign-in runs before any org is known, so this is the one lookup by email across orgs. The
 * partial unique index `members_signin_email_key` guarantees at most one credentialed match.
 */
export async function findSignInCandidate(db: Executor, params: { email: string }) {
  const rows = await db
    .select({
      id: members.id,
      orgId: members.orgId,
      passwordHash: members.passwordHash,
      deactivatedAt: members.deactivatedAt,
    })
    .from(members)
    .where(and(sql`lower(${members.email}) = lower(${params.email})`, sql`${members.passwordHash} is not null`))
    .limit(1);
  return rows[0] ?? null;
}

/** SSO: the single active member with this email, if exactly one exists. */
export async function findSsoCandidate(db: Executor, params: { email: string }) {
  const rows = await db
    .select({ id: members.id, orgId: members.orgId })
    .from(members)
    .where(and(sql`lower(${members.email}) = lower(${params.email})`, isNull(members.deactivatedAt)))
    .limit(2);
  return rows.length === 1 ? rows[0]! : null;
}

/** Ends every session of a member issued up to now (sign-out, R4). */
export async function endMemberSessions(db: Executor, params: { orgId: string; memberId: string }): Promise<void> {
  await db
    .update(members)
    .set({ sessionsValidAfter: sql`now()` })
    .where(and(eq(members.orgId, params.orgId), eq(members.id, params.memberId)));
}
