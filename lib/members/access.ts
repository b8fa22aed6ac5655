import "server-only";
import { settingsAsOf } from "@/lib/periods/settings-at";
import { withOrg } from "@/db";
import { countLiveApiKeysCreatedBy } from "@/lib/api-keys/queries";
import { requireApiKey, requireMemberRole, requireWriter, type Principal } from "@/lib/auth/principal";
import { ADMIN_ONLY, BILLING_ROLES, CONSOLE_ROLES, type Role } from "@/lib/auth/roles";
import { getLiveBillingGroupOptions } from "@/lib/billing-groups/queries";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { getMemberEntitlement, listMembersPage } from "@/lib/usage/queries";
import { findActiveMembersByReference, getMemberDetails, listMembers, type MemberListParams } from "./queries";
import * as service from "./service";

// The Members screen (R2, R3: admins and billing admins read it; billing admins change only a
// member's billing group and personal limit), and the members read API (R32, R32a).

export { MEMBER_SORTS, MEMBER_STATUSES, type MemberSort, type MemberStatus } from "./queries";

export type MembersScreenParams = Omit<MemberListParams, "orgId" | "pageSize">;

/** One page of the member list with the live billing groups for the filter and pickers. */
export async function getMembersScreen(principal: Principal, params: MembersScreenParams) {
  const { orgId } = requireMemberRole(principal, CONSOLE_ROLES);
  return withOrg(orgId, async (tx) => ({
    list: await listMembers(tx, { ...params, orgId, settingsAsOf: settingsAsOf(params.period) }),
    billingGroups: await getLiveBillingGroupOptions(tx, { orgId }),
  }));
}

const apiKeyRoles: readonly Role[] = ADMIN_ONLY;
const isApiKeyAdmin = (role: Role) => apiKeyRoles.includes(role);

/**
 * Member details for `period`, with the entitlement of now (the same answer the metering API gives,
 * R32). Admins also get how many live API keys the member created, which Deactivate offers to
 * revoke (issue 22); API keys are an admin's business only (R29), so others get 0.
 */
export async function getMemberProfile(principal: Principal, params: { memberId: string; period: string }) {
  const { orgId, member: viewer } = requireMemberRole(principal, CONSOLE_ROLES);
  const { memberId, period } = params;
  return withOrg(orgId, async (tx) => ({
    member: await getMemberDetails(tx, { orgId, memberId, period, settingsAsOf: settingsAsOf(period) }),
    billingGroups: await getLiveBillingGroupOptions(tx, { orgId }),
    entitlement: await getMemberEntitlement(tx, { orgId, member: memberId, period: periodOf(now()) }),
    liveApiKeyCount: isApiKeyAdmin(viewer.role) ? await countLiveApiKeysCreatedBy(tx, { orgId, memberId }) : 0,
  }));
}

/** R32: whether an active member (email or id) can use Credits now. Null = no such active member. */
export async function getEntitlement(principal: Principal, params: { member: string }) {
  const { orgId } = requireApiKey(principal, "usage");
  return withOrg(orgId, (tx) => getMemberEntitlement(tx, { orgId, member: params.member, period: periodOf(now()) }));
}

/** R32a: members by email, keyset-paginated in SQL. */
export async function listMembersForApi(
  principal: Principal,
  params: {
    limit: number;
    cursor: string | null;
    email: string | null;
    billingGroup: string | null;
    includeDeactivated: boolean;
  },
) {
  const { orgId } = requireApiKey(principal, "read");
  return withOrg(orgId, (tx) => listMembersPage(tx, { ...params, orgId, period: periodOf(now()) }));
}

function writer(principal: Principal, roles: readonly Role[]) {
  const { orgId, actor } = requireMemberRole(principal, roles);
  return { orgId, actor };
}

/**
 * PATCH /api/v1/members/{member} (R44): an active member's personal limit and/or billing group, by
 * email or id, through the console's services in one transaction. Null when no active member of
 * the org has that email or id. Answers the member as `GET /api/v1/members` lists them.
 */
export async function changeMemberViaApi(
  principal: Principal,
  input: { member: string; personalLimit?: bigint | null; billingGroupId?: string | null },
) {
  const scope = requireWriter(principal, BILLING_ROLES);
  const { orgId } = scope;
  return withOrg(orgId, async (tx) => {
    const found = (await findActiveMembersByReference(tx, { orgId, references: [input.member] })).get(input.member);
    if (!found) return null;
    const memberIds = [found.id];
    if (input.personalLimit !== undefined)
      await service.setPersonalLimit(tx, { ...scope, memberIds, personalLimit: input.personalLimit });
    if (input.billingGroupId !== undefined)
      await service.assignBillingGroup(tx, { ...scope, memberIds, billingGroupId: input.billingGroupId });
    const page = await listMembersPage(tx, {
      orgId,
      period: periodOf(now()),
      limit: 1,
      cursor: null,
      email: found.email,
      billingGroup: null,
      includeDeactivated: false,
    });
    return page.members[0]!;
  });
}

export async function addMember(
  principal: Principal,
  input: { name: string; email: string; role: Role; personalLimit: bigint | null; billingGroupId: string | null },
) {
  const scope = writer(principal, ADMIN_ONLY);
  const { name, email, role, personalLimit, billingGroupId } = input;
  return withOrg(scope.orgId, (tx) =>
    service.addMember(tx, { ...scope, input: { name, email, role, personalLimit, billingGroupId } }),
  );
}

export async function assignBillingGroup(
  principal: Principal,
  input: { memberIds: string[]; billingGroupId: string | null },
) {
  const scope = requireWriter(principal, BILLING_ROLES);
  const { memberIds, billingGroupId } = input;
  return withOrg(scope.orgId, (tx) => service.assignBillingGroup(tx, { ...scope, memberIds, billingGroupId }));
}

export async function setPersonalLimit(
  principal: Principal,
  input: { memberIds: string[]; personalLimit: bigint | null },
) {
  const scope = requireWriter(principal, BILLING_ROLES);
  const { memberIds, personalLimit } = input;
  return withOrg(scope.orgId, (tx) => service.setPersonalLimit(tx, { ...scope, memberIds, personalLimit }));
}

export async function changeMemberRole(principal: Principal, input: { memberId: string; role: Role }) {
  const scope = writer(principal, ADMIN_ONLY);
  return withOrg(scope.orgId, (tx) =>
    service.changeMemberRole(tx, { ...scope, memberId: input.memberId, role: input.role }),
  );
}

export async function deactivateMember(principal: Principal, input: { memberId: string; revokeApiKeys: boolean }) {
  const scope = writer(principal, ADMIN_ONLY);
  const { memberId, revokeApiKeys } = input;
  return withOrg(scope.orgId, (tx) => service.deactivateMember(tx, { ...scope, memberId, revokeApiKeys }));
}

export async function reactivateMember(principal: Principal, input: { memberId: string }) {
  const scope = writer(principal, ADMIN_ONLY);
  return withOrg(scope.orgId, (tx) => service.reactivateMember(tx, { ...scope, memberId: input.memberId }));
}
