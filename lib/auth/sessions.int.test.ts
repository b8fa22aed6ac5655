// Issue 22 item 4: sessions that end. Sign-out, role change, deactivation, reactivation and password
// change cut off every older session, to the millisecond; a token keeps its sign-in time when
// next-auth re-issues it, and `/api/auth/session`'s read refuses an ended one.
import { sql } from "drizzle-orm";
import type { NextAuthOptions } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";
import type { Transaction } from "@/db";
import type { MemberActor } from "@/lib/members/service";
import { changeMemberRole, deactivateMember, reactivateMember } from "@/lib/members/service";
import { createMember, createOrg, testDb } from "@/tests/support/db";
import { authOptions } from "./options";
import { endMemberSessions, memberBehindSession, sessionClock } from "./sessions";

vi.mock("@/lib/env", async (original) => ({
  ...(await original<object>()),
  authSecret: () => "sessions-suite-secret-".repeat(3),
}));

const tx = <T>(work: (t: Transaction) => Promise<T>) => testDb().transaction(work);

async function setup() {
  const org = await createOrg();
  const admin = await createMember(org.id, { role: "admin" });
  const member = await createMember(org.id, { role: "billing_admin", passwordHash: "hash:before" });
  const actor: MemberActor = { id: admin.id, label: "Admin", role: "admin" };
  return { orgId: org.id, memberId: member.id, actor };
}

type JwtParams = Parameters<NonNullable<NonNullable<NextAuthOptions["callbacks"]>["jwt"]>>[0];
// On a session read next-auth passes the token alone (its types claim a user and account too).
const readParams = (token: JWT) => ({ token }) as unknown as JwtParams;

/** next-auth's jwt callback as the `/api/auth/*` route runs it on a session read. */
async function readSession(token: JWT) {
  return authOptions({ checkSessionOnRead: true }).callbacks!.jwt!(readParams(token));
}

describe("sessions that end (issue 22 item 4)", () => {
  it("sign-out ends a session signed in the same second, and a new sign-in right after works", async () => {
    const { orgId, memberId } = await setup();
    const signedIn = await sessionClock(testDb());
    expect(await memberBehindSession({ orgId, memberId, issuedAt: signedIn })).not.toBeNull();
    await endMemberSessions(testDb(), { orgId, memberId });
    expect(await memberBehindSession({ orgId, memberId, issuedAt: signedIn })).toBeNull();
    // Even a sign-in time in the very same second as the sign-out, but before it, is refused.
    const [{ cutoff } = { cutoff: 0 }] = await testDb().execute<{ cutoff: number }>(
      sql`select extract(epoch from sessions_valid_after)::float8 as cutoff from members where id = ${memberId}`,
    );
    expect(await memberBehindSession({ orgId, memberId, issuedAt: Math.floor(cutoff) })).toBeNull();
    expect(await memberBehindSession({ orgId, memberId, issuedAt: cutoff - 0.001 })).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 2));
    const again = await sessionClock(testDb());
    expect(await memberBehindSession({ orgId, memberId, issuedAt: again })).not.toBeNull();
  });

  it("a role change ends older sessions", async () => {
    const { orgId, memberId, actor } = await setup();
    const signedIn = await sessionClock(testDb());
    await tx((t) => changeMemberRole(t, { orgId, actor, memberId, role: "member" }));
    expect(await memberBehindSession({ orgId, memberId, issuedAt: signedIn })).toBeNull();
  });

  it("deactivating then reactivating does not revive a session from before", async () => {
    const { orgId, memberId, actor } = await setup();
    const signedIn = await sessionClock(testDb());
    await tx((t) => deactivateMember(t, { orgId, actor, memberId }));
    expect(await memberBehindSession({ orgId, memberId, issuedAt: signedIn })).toBeNull();
    await tx((t) => reactivateMember(t, { orgId, actor, memberId }));
    expect(await memberBehindSession({ orgId, memberId, issuedAt: signedIn })).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect(await memberBehindSession({ orgId, memberId, issuedAt: await sessionClock(testDb()) })).not.toBeNull();
  });

  it("a password change ends older sessions, whoever changes it", async () => {
    const { orgId, memberId } = await setup();
    const signedIn = await sessionClock(testDb());
    await testDb().execute(sql`update members set name = 'Renamed' where id = ${memberId}`);
    expect(await memberBehindSession({ orgId, memberId, issuedAt: signedIn })).not.toBeNull();
    await testDb().execute(sql`update members set password_hash = 'hash:after' where id = ${memberId}`);
    expect(await memberBehindSession({ orgId, memberId, issuedAt: signedIn })).toBeNull();
  });

  it("the session read behind /api/auth/session refuses an ended session and keeps the sign-in time on re-issue", async () => {
    const { orgId, memberId } = await setup();
    const signedInAt = await sessionClock(testDb());
    const token: JWT = { memberId, orgId, signedInAt, iat: Math.floor(signedInAt) - 3600 };
    const reissued = await readSession({ ...token });
    expect(reissued).toMatchObject({ memberId, orgId, signedInAt });
    await endMemberSessions(testDb(), { orgId, memberId });
    await expect(readSession({ ...token, iat: Math.floor(Date.now() / 1000) })).rejects.toThrow("session ended");
    // A token minted before sign-in times existed (iat only) is refused everywhere.
    const legacy = authOptions().callbacks!.jwt!;
    await expect(legacy(readParams({ memberId, orgId, iat: 1 }))).rejects.toThrow("session ended");
  });

  it("a sign-in sets the sign-in time from the database clock", async () => {
    const { orgId, memberId } = await setup();
    const jwt = authOptions().callbacks!.jwt!;
    const before = await sessionClock(testDb());
    const token = await jwt({
      token: {},
      user: { id: memberId, orgId },
      account: { provider: "credentials", type: "credentials", providerAccountId: memberId },
    } as JwtParams);
    expect(token).toMatchObject({ memberId, orgId });
    expect(token.signedInAt).toBeGreaterThanOrEqual(before);
  });
});
