"use server";

import { defineAction } from "@/lib/actions";
import { ADMIN_ONLY, BILLING_ROLES } from "@/lib/auth/roles";
import {
  addMember,
  assignBillingGroup,
  changeMemberRole,
  deactivateMember,
  reactivateMember,
  setPersonalLimit,
} from "@/lib/members/access";
import {
  addMemberSchema,
  assignBillingGroupSchema,
  changeRoleSchema,
  deactivateMemberSchema,
  memberIdSchema,
  setPersonalLimitSchema,
} from "@/lib/members/schemas";

// Thin: the wrapper authorizes and validates; the access layer (which re-checks the role) does the work.
const revalidate = ["/members"];

export const addMemberAction = defineAction({
  name: "members.add",
  schema: addMemberSchema,
  roles: ADMIN_ONLY,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => addMember(principal, input),
});

export const assignBillingGroupAction = defineAction({
  name: "members.assignBillingGroup",
  schema: assignBillingGroupSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => assignBillingGroup(principal, input),
});

export const setPersonalLimitAction = defineAction({
  name: "members.setPersonalLimit",
  schema: setPersonalLimitSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => setPersonalLimit(principal, input),
});

export const changeRoleAction = defineAction({
  name: "members.changeRole",
  schema: changeRoleSchema,
  roles: ADMIN_ONLY,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => changeMemberRole(principal, input),
});

export const deactivateMemberAction = defineAction({
  name: "members.deactivate",
  schema: deactivateMemberSchema,
  roles: ADMIN_ONLY,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => deactivateMember(principal, input),
});

export const reactivateMemberAction = defineAction({
  name: "members.reactivate",
  schema: memberIdSchema,
  roles: ADMIN_ONLY,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => reactivateMember(principal, input),
});
