import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { type Executor, withOrg } from "@/db";
import { members } from "@/db/schema";
import { getActiveMemberById, type SignedInMember } from "@/lib/members/queries";
import { sessionStillValid } from "./session-rules";

// Issue 22 item 4. Sign-in times and cutoffs both come from the database's clock, so every console
// instance compares them on one time line (app servers' clocks may drift; the test clock that
// moves business time must not move security time either).

/** The database's current time as a JWT NumericDate (seconds since epoch, millisecond fraction). */
export async function sessionClock(db: Executor): Promise<number> {
  const [row] = await db.execute<{ ms: bigint | string | number }>(
    sql`select floor(extract(epoch from clock_timestamp()) * 1000)::bigint as ms`,
  );
  return Number(row!.ms) / 1000;
}

/**
 * Ends every session of a member issued up to now: sign-out, deactivation, reactivation, role
 * change. A JWT cannot be recalled, so the guard compares its sign-in time with this cutoff.
 */
export async function endMemberSessions(db: Executor, params: { orgId: string; memberId: string }): Promise<void> {
  await db
    .update(members)
    .set({ sessionsValidAfter: sql`clock_timestamp()` })
    .where(and(eq(members.orgId, params.orgId), eq(members.id, params.memberId)));
}

export type SessionClaims = { orgId?: string; memberId?: string; issuedAt?: number };

/**
 * The live member behind a session, or null when the session has ended (signed out, cut off,
 * deactivated, deleted, or no sign-in time). The one check behind the guard and `/api/auth/session`.
 */
export async function memberBehindSession(claims: SessionClaims): Promise<SignedInMember | null> {
  const { orgId, memberId, issuedAt } = claims;
  if (!orgId || !memberId) return null;
  const member = await withOrg(orgId, (tx) => getActiveMemberById(tx, { orgId, memberId }));
  if (!member || !sessionStillValid(issuedAt, member.sessionsValidAfter)) return null;
  return member;
}
