import type { ApiKeyScope } from "@/lib/api-keys/rules";
import type { SignedInMember } from "@/lib/members/queries";
import { ForbiddenError, InsufficientScopeError } from "@/lib/errors";
import type { BILLING_ROLES, Role } from "./roles";

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

export type ApiKeyPrincipal = {
  kind: "api_key";
  orgId: string;
  apiKeyId: string;
  /** R44: the audit actor of the key's changes is its name. */
  name: string;
  scopes: readonly ApiKeyScope[];
};

export type Principal = MemberPrincipal | ApiKeyPrincipal;

export function memberPrincipal(member: SignedInMember): MemberPrincipal {
  return {
    kind: "member",
    orgId: member.orgId,
    member,
    actor: { id: member.id, label: `${member.name} <${member.email}>`, role: member.role },
  };
}

export function apiKeyPrincipal(key: {
  orgId: string;
  apiKeyId: string;
  name: string;
  scopes: readonly ApiKeyScope[];
}): ApiKeyPrincipal {
  return { kind: "api_key", orgId: key.orgId, apiKeyId: key.apiKeyId, name: key.name, scopes: key.scopes };
}

/**
 * R3 inside the access layer: a member must hold one of `roles`. API keys act for the whole org on
 * the metering and read API only, so a console-only operation refuses them.
 */
export function requireMemberRole(principal: Principal, roles: readonly Role[]): MemberPrincipal {
  if (principal.kind !== "member" || !roles.includes(principal.member.role)) throw new ForbiddenError();
  return principal;
}

/** The metering and read API (R30–R32a, R44): API keys only, holding `scope`. */
export function requireApiKey(principal: Principal, scope: ApiKeyScope): ApiKeyPrincipal {
  if (principal.kind !== "api_key") throw new ForbiddenError();
  if (!principal.scopes.includes(scope)) throw new InsufficientScopeError(scope);
  return principal;
}

const API_KEY_WRITER_ROLE = "billing_admin" satisfies (typeof BILLING_ROLES)[number];

/** Who a change is recorded as (R36): a member, or an `admin`-scoped API key by its name (R44). */
export type WriteActor = { id: string | null; label: string; role: Role; apiKeyId?: string };

/**
 * R3 and R44 for a change: a member holding one of `roles`, or an API key with the `admin` scope
 * where billing admins may act. An `admin` key has exactly a billing admin's powers (billing
 * groups, assignments, limits), never an admin's (members' roles, API keys, webhooks).
 */
export function requireWriter(principal: Principal, roles: readonly Role[]): { orgId: string; actor: WriteActor } {
  if (principal.kind === "member") {
    const { orgId, actor } = requireMemberRole(principal, roles);
    return { orgId, actor };
  }
  const asKey = requireApiKey(principal, "admin");
  if (!roles.includes(API_KEY_WRITER_ROLE)) throw new ForbiddenError();
  return {
    orgId: asKey.orgId,
    actor: { id: null, label: asKey.name, role: API_KEY_WRITER_ROLE, apiKeyId: asKey.apiKeyId },
  };
}
