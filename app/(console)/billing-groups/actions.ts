"use server";

import { defineAction } from "@/lib/actions";
import { ADMIN_ONLY, BILLING_ROLES } from "@/lib/auth/roles";
import {
  addBillingGroupViewers,
  assignMembers,
  createBillingGroup,
  deleteBillingGroup,
  removeBillingGroupViewer,
  setAlertThresholds,
  setBillingGroupPeriodLimit,
  updateBillingGroup,
} from "@/lib/billing-groups/access";
import {
  addViewersSchema,
  assignMembersSchema,
  createBillingGroupSchema,
  deleteBillingGroupSchema,
  removeViewerSchema,
  setAlertThresholdsSchema,
  setPeriodLimitSchema,
  updateBillingGroupSchema,
} from "@/lib/billing-groups/schemas";
import { addRecipient, removeRecipient } from "@/lib/recipients/access";
import { addRecipientSchema, removeRecipientSchema } from "@/lib/recipients/schemas";
import { sendStatement } from "@/lib/statements/access";
import { sendStatementSchema } from "@/lib/statements/schemas";

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

// R40: the Alerts tab's Save; same roles and period rule as the limit the thresholds are percents of.
export const setAlertThresholdsAction = defineAction({
  name: "billing-groups.set-alert-thresholds",
  schema: setAlertThresholdsSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ principal }, input) => setAlertThresholds(principal, input),
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

// R39: the Recipients tab (read through its GET route, nothing on the page to revalidate).
// Recipients change in the current period only (R23).
export const addRecipientAction = defineAction({
  name: "billing-groups.add-recipient",
  schema: addRecipientSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  run: ({ principal }, input) => addRecipient(principal, input),
});

export const removeRecipientAction = defineAction({
  name: "billing-groups.remove-recipient",
  schema: removeRecipientSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  run: ({ principal }, input) => removeRecipient(principal, input),
});

// R39: a closed period's statement, sent now. Not `requiresCurrentPeriod`: the period it names has
// ended by definition (the access layer refuses the current one).
export const sendStatementAction = defineAction({
  name: "billing-groups.send-statement",
  schema: sendStatementSchema,
  roles: BILLING_ROLES,
  run: ({ principal }, input) => sendStatement(principal, input),
});
