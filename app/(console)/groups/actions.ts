"use server";

import { withOrg } from "@/db";
import { defineAction, type ActionContext } from "@/lib/actions";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import { searchGroupCandidates } from "@/lib/groups/queries";
import {
  addGroupMembersSchema,
  groupFieldsSchema,
  groupIdSchema,
  removeGroupMemberSchema,
  searchGroupCandidatesSchema,
  updateGroupSchema,
} from "@/lib/groups/schemas";
import { addGroupMembers, createGroup, deleteGroup, removeGroupMember, updateGroup } from "@/lib/groups/service";

// Groups have no period (R8: no Credits, no limits), so these actions carry none.
const scope = (ctx: ActionContext) => ({ orgId: ctx.orgId, actor: { ...ctx.actor, role: ctx.member.role } });
const revalidate = ["/groups", "/members"];

export const createGroupAction = defineAction({
  name: "groups.create",
  schema: groupFieldsSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: (ctx, { name, description }) =>
    withOrg(ctx.orgId, (tx) => createGroup(tx, { ...scope(ctx), name, description })),
});

export const updateGroupAction = defineAction({
  name: "groups.update",
  schema: updateGroupSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: (ctx, { groupId, name, description }) =>
    withOrg(ctx.orgId, (tx) => updateGroup(tx, { ...scope(ctx), groupId, name, description })),
});

export const deleteGroupAction = defineAction({
  name: "groups.delete",
  schema: groupIdSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: (ctx, { groupId }) => withOrg(ctx.orgId, (tx) => deleteGroup(tx, { ...scope(ctx), groupId })),
});

export const addGroupMembersAction = defineAction({
  name: "groups.addMembers",
  schema: addGroupMembersSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: (ctx, { groupId, memberIds }) =>
    withOrg(ctx.orgId, (tx) => addGroupMembers(tx, { ...scope(ctx), groupId, memberIds })),
});

export const removeGroupMemberAction = defineAction({
  name: "groups.removeMember",
  schema: removeGroupMemberSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: (ctx, { groupId, memberId }) =>
    withOrg(ctx.orgId, (tx) => removeGroupMember(tx, { ...scope(ctx), groupId, memberId })),
});

/** Read-only: the `Add Members` picker's search (admin only, like the screen). */
export const searchGroupCandidatesAction = defineAction({
  name: "groups.searchCandidates",
  schema: searchGroupCandidatesSchema,
  roles: ADMIN_ONLY,
  run: (ctx, { groupId, search }) =>
    withOrg(ctx.orgId, (tx) => searchGroupCandidates(tx, { orgId: ctx.orgId, groupId, search })),
});
