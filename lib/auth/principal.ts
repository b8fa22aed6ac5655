import type { SignedInMember } from "@/lib/members/queries";
import { ForbiddenError } from "@/lib/errors";
import type { Role } from "./roles";

// Who is asking: a signed-in member (console pages, server actions, console route handlers) or an
// organization API key (the /api/v1 routes). The access layer (lib/<domain>/access.ts) takes one of
// these and nothing else: the org always comes from here, never from a form, URL or body (R1, R4).

export type MemberPrincipal = {
  kind: "member";
  orgId: string;
  member: SignedInMember;
  /** For the audit log (R36). */
  actor: { id: string; label: string; role: Role };
};

export type ApiKeyPrincipal = { kind: "api_key"; orgId: string; apiKeyId: string };

export type Principal = MemberPrincipal | ApiKeyPrincipal;

export function memberPrincipal(member: SignedInMember): MemberPrincipal {
  return {
    kind: "member",
    orgId: member.orgId,
    member,
    actor: { id: member.id, label: `${member.name} <${member.email}>`, role: member.role },
  };
}

export function apiKeyPrincipal(key: { orgId: string; apiKeyId: string }): ApiKeyPrincipal {
  return { kind: "api_key", orgId: key.orgId, apiKeyId: key.apiKeyId };
}

/**
 * R3 inside the access layer: a member must hold one of `roles`. API keys act for the whole org on
 * the metering and read API only, so a console-only operation refuses them.
 */
export function requireMemberRole(principal: Principal, roles: readonly Role[]): MemberPrincipal {
  if (principal.kind !== "member" || !roles.includes(principal.member.role)) throw new ForbiddenError();
  return principal;
}

/** The org-wide read API (R32, R32a): API keys only. */
export function requireApiKey(principal: Principal): ApiKeyPrincipal {
  if (principal.kind !== "api_key") throw new ForbiddenError();
  return principal;
}
