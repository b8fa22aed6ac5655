"use server";

import { defineAction } from "@/lib/actions";
import { ADMIN_ONLY, BILLING_ROLES } from "@/lib/auth/roles";
import {
  addBillingGroupViewers,
  assignMembers,
  createBillingGroup,
  deleteBillingGroup,
  removeBillingGroupViewer,
  setBillingGroupPeriodLimit,
  updateBillingGroup,
} from "@/lib/billing-groups/access";
import {
  addViewersSchema,
  assignMembersSchema,
  createBillingGroupSchema,
  deleteBillingGroupSchema,
  removeViewerSchema,
  setPeriodLimitSchema,
  updateBillingGroupSchema,
} from "@/lib/billing-groups/schemas";

// Thin: the wrapper authorizes (R3, R4) and checks the period (R23); the access layer does the work.
// Reads for the drawers are GET route handlers under app/api/console/billing-groups/.

const revalidate = ["/billing-groups"];

export const createBillingGroupAction = defineAction({
  name: "billing-groups.create",
  schema: createBillingGroupSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => createBillingGroup(principal, input),
});

export const updateBillingGroupAction = defineAction({
  name: "billing-groups.update",
  schema: updateBillingGroupSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => updateBillingGroup(principal, input),
});

export const setPeriodLimitAction = defineAction({
  name: "billing-groups.set-period-limit",
  schema: setPeriodLimitSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => setBillingGroupPeriodLimit(principal, input),
});

export const deleteBillingGroupAction = defineAction({
  name: "billing-groups.delete",
  schema: deleteBillingGroupSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => deleteBillingGroup(principal, input),
});

export const assignMembersAction = defineAction({
  name: "billing-groups.assign-members",
  schema: assignMembersSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => assignMembers(principal, input),
});

export const addBillingGroupViewersAction = defineAction({
  name: "billing-groups.add-viewers",
  schema: addViewersSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => addBillingGroupViewers(principal, input),
});

export const removeBillingGroupViewerAction = defineAction({
  name: "billing-groups.remove-viewer",
  schema: removeViewerSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ principal }, input) => removeBillingGroupViewer(principal, input),
});
