import "server-only";
import { withOrg } from "@/db";
import { requireMemberRole, type Principal } from "@/lib/auth/principal";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import { GROUPS_PAGE_SIZE } from "@/lib/limits";
import { readClampedPage } from "@/lib/pagination";
import * as queries from "./queries";
import * as service from "./service";

// R5–R8: the Groups screen and its writes, admins only (R3).

function admin(principal: Principal) {
  const { orgId, actor } = requireMemberRole(principal, ADMIN_ONLY);
  return { orgId, actor };
}

/** R46: one page of the Groups list for `search`; a page past the end shows the last page. */
export async function listGroups(principal: Principal, params: { search: string; page: unknown }) {
  const { orgId } = admin(principal);
  const pageSize = GROUPS_PAGE_SIZE;
  return withOrg(orgId, (tx) =>
    readClampedPage(params.page, pageSize, (page) =>
      queries.listGroups(tx, {
        orgId,
        search: params.search,
        page: { limit: pageSize, offset: (page - 1) * pageSize },
      }),
    ),
  );
}

/** Null when the id names no group of this org. */
export async function getGroupWithMembers(principal: Principal, params: { groupId: string }) {
  const { orgId } = admin(principal);
  return withOrg(orgId, (tx) => queries.getGroupWithMembers(tx, { orgId, groupId: params.groupId }));
}

/** The `Add Members` picker's search. */
export async function searchGroupCandidates(principal: Principal, params: { groupId: string; search: string }) {
  const { orgId } = admin(principal);
  return withOrg(orgId, (tx) => queries.searchGroupCandidates(tx, { ...params, orgId }));
}

export async function createGroup(principal: Principal, input: { name: string; description: string }) {
  const scope = admin(principal);
  return withOrg(scope.orgId, (tx) => service.createGroup(tx, { ...input, ...scope }));
}

export async function updateGroup(principal: Principal, input: { groupId: string; name: string; description: string }) {
  const scope = admin(principal);
  return withOrg(scope.orgId, (tx) => service.updateGroup(tx, { ...input, ...scope }));
}

export async function deleteGroup(principal: Principal, input: { groupId: string; confirmName: string }) {
  const scope = admin(principal);
  return withOrg(scope.orgId, (tx) => service.deleteGroup(tx, { ...input, ...scope }));
}

export async function addGroupMembers(principal: Principal, input: { groupId: string; memberIds: string[] }) {
  const scope = admin(principal);
  return withOrg(scope.orgId, (tx) => service.addGroupMembers(tx, { ...input, ...scope }));
}

export async function removeGroupMember(principal: Principal, input: { groupId: string; memberId: string }) {
  const scope = admin(principal);
  return withOrg(scope.orgId, (tx) => service.removeGroupMember(tx, { ...input, ...scope }));
}
