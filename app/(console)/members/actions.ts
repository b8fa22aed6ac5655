"use server";

import { withOrg } from "@/db";
import { defineAction, type ActionContext } from "@/lib/actions";
import { ADMIN_ONLY, BILLING_ROLES } from "@/lib/auth/roles";
import {
  addMemberSchema,
  assignBillingGroupSchema,
  changeRoleSchema,
  memberIdSchema,
  setPersonalLimitSchema,
} from "@/lib/members/schemas";
import {
  addMember,
  assignBillingGroup,
  changeMemberRole,
  deactivateMember,
  reactivateMember,
  setPersonalLimit,
} from "@/lib/members/service";

// Thin: the wrapper authorizes and validates; the services (which re-check the role) do the work.
const scope = (ctx: ActionContext) => ({ orgId: ctx.orgId, actor: { ...ctx.actor, role: ctx.member.role } });
const revalidate = ["/members"];

export const addMemberAction = defineAction({
  name: "members.add",
  schema: addMemberSchema,
  roles: ADMIN_ONLY,
  requiresCurrentPeriod: true,
  revalidate,
  run: (ctx, { name, email, role, personalLimit, billingGroupId }) =>
    withOrg(ctx.orgId, (tx) =>
      addMember(tx, { ...scope(ctx), input: { name, email, role, personalLimit, billingGroupId } }),
    ),
});

export const assignBillingGroupAction = defineAction({
  name: "members.assignBillingGroup",
  schema: assignBillingGroupSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: (ctx, { memberIds, billingGroupId }) =>
    withOrg(ctx.orgId, (tx) => assignBillingGroup(tx, { ...scope(ctx), memberIds, billingGroupId })),
});

export const setPersonalLimitAction = defineAction({
  name: "members.setPersonalLimit",
  schema: setPersonalLimitSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: (ctx, { memberIds, personalLimit }) =>
    withOrg(ctx.orgId, (tx) => setPersonalLimit(tx, { ...scope(ctx), memberIds, personalLimit })),
});

export const changeRoleAction = defineAction({
  name: "members.changeRole",
  schema: changeRoleSchema,
  roles: ADMIN_ONLY,
  requiresCurrentPeriod: true,
  revalidate,
  run: (ctx, { memberId, role }) => withOrg(ctx.orgId, (tx) => changeMemberRole(tx, { ...scope(ctx), memberId, role })),
});

export const deactivateMemberAction = defineAction({
  name: "members.deactivate",
  schema: memberIdSchema,
  roles: ADMIN_ONLY,
  requiresCurrentPeriod: true,
  revalidate,
  run: (ctx, { memberId }) => withOrg(ctx.orgId, (tx) => deactivateMember(tx, { ...scope(ctx), memberId })),
});

export const reactivateMemberAction = defineAction({
  name: "members.reactivate",
  schema: memberIdSchema,
  roles: ADMIN_ONLY,
  requiresCurrentPeriod: true,
  revalidate,
  run: (ctx, { memberId }) => withOrg(ctx.orgId, (tx) => reactivateMember(tx, { ...scope(ctx), memberId })),
});
