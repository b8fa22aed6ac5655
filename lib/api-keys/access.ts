import "server-only";
import { withOrg } from "@/db";
import { requireMemberRole, type Principal } from "@/lib/auth/principal";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import { listApiKeys as listApiKeyRows, type ApiKeyRow } from "./queries";
import type { ApiKeyScope } from "./rules";
import * as service from "./service";

// R29: API keys are an admin's business only.

export async function listApiKeys(principal: Principal): Promise<ApiKeyRow[]> {
  const { orgId } = requireMemberRole(principal, ADMIN_ONLY);
  return withOrg(orgId, (tx) => listApiKeyRows(tx, { orgId }));
}

/** The secret goes back to the creating admin once and is never stored. */
export async function createApiKey(principal: Principal, input: { name: string; scopes: readonly ApiKeyScope[] }) {
  const { orgId, actor } = requireMemberRole(principal, ADMIN_ONLY);
  return withOrg(orgId, (tx) => service.createApiKey(tx, { orgId, actor, name: input.name, scopes: input.scopes }));
}

export async function revokeApiKey(principal: Principal, input: { id: string }) {
  const { orgId, actor } = requireMemberRole(principal, ADMIN_ONLY);
  const revoked = await withOrg(orgId, (tx) => service.revokeApiKey(tx, { orgId, actor, id: input.id }));
  return { id: revoked.id, name: revoked.name };
}
