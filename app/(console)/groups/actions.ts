"use server";

import { defineAction } from "@/lib/actions";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import { addGroupMembers, createGroup, deleteGroup, removeGroupMember, updateGroup } from "@/lib/groups/access";
import {
  addGroupMembersSchema,
  deleteGroupSchema,
  groupFieldsSchema,
  removeGroupMemberSchema,
  updateGroupSchema,
} from "@/lib/groups/schemas";

// Groups have no period (R8: no Credits, no limits), so these actions carry none.
const revalidate = ["/groups", "/members"];

export const createGroupAction = defineAction({
  name: "groups.create",
  schema: groupFieldsSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => createGroup(principal, input),
});

export const updateGroupAction = defineAction({
  name: "groups.update",
  schema: updateGroupSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => updateGroup(principal, input),
});

export const deleteGroupAction = defineAction({
  name: "groups.delete",
  schema: deleteGroupSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => deleteGroup(principal, input),
});

export const addGroupMembersAction = defineAction({
  name: "groups.addMembers",
  schema: addGroupMembersSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => addGroupMembers(principal, input),
});

export const removeGroupMemberAction = defineAction({
  name: "groups.removeMember",
  schema: removeGroupMemberSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => removeGroupMember(principal, input),
});
