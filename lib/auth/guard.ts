import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";
import type { SignedInMember } from "@/lib/members/queries";
import { noteRequestOrg } from "@/lib/runtime/request-notes";
import { getBillingAccess } from "./billing-access";
import { authOptions } from "./options";
import { memberPrincipal, type MemberPrincipal } from "./principal";
import { canOpenScreen, hasConsoleAccess, type Role, type Screen } from "./roles";
import { memberBehindSession } from "./sessions";

export type { SignedInMember } from "@/lib/members/queries";

/**
 * The member behind this request, read from the database (R4): a demoted, deactivated or deleted
 * member is seen as such on the very next request. Cached per request only.
 */
export const getSignedInMember = cache(async (): Promise<SignedInMember | null> => {
  // Per-request by nature: never prerendered at build time (when no secret or database exists).
  await connection();
  const session = await getServerSession(authOptions());
  if (!session) return null;
  // Signed out, cut off (sign-out, role change, (re)activation), deactivated or gone: null.
  const member = await memberBehindSession(session);
  if (member) await noteOrgOfThisRequest(member.orgId);
  return member;
});

/** For the request's access-log line; outside a request (scripts, tests) there is nothing to note. */
async function noteOrgOfThisRequest(orgId: string): Promise<void> {
  try {
    noteRequestOrg(await headers(), orgId);
  } catch {
    // no request scope
  }
}

/** For server actions and route handlers: throws typed errors the callers map to responses. */
export async function requireMember(roles: readonly Role[]): Promise<SignedInMember> {
  const member = await getSignedInMember();
  if (!member) throw new UnauthenticatedError();
  if (!roles.includes(member.role)) throw new ForbiddenError();
  return member;
}

/** For console route handlers: the signed-in member as the access layer's principal (401/403 otherwise). */
export async function requirePrincipal(roles: readonly Role[]): Promise<MemberPrincipal> {
  return memberPrincipal(await requireMember(roles));
}

/**
 * For pages: signed-out visitors go to sign-in; everyone else gets the screens of their role and a
 * 403 for the rest. A `member` has My usage only; with billing group viewer grants (R3, R33) also
 * Billing Groups. `/`, where sign-in lands, sends a member to the screen they have rather than a
 * 403. Grants are read from the database on every request.
 */
export async function requireScreen(screen: Screen): Promise<SignedInMember> {
  const member = await getSignedInMember();
  if (!member) redirect("/sign-in");
  if (canOpenScreen(member.role, screen)) return member;
  if (!hasConsoleAccess(member.role)) {
    const viewer = (await getBillingAccess(member)).kind === "viewer";
    if (viewer && screen === "billing-groups") return member;
    if (screen === "overview") redirect(viewer ? "/billing-groups" : "/my-usage");
  }
  forbidden();
}
