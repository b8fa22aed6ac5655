"use server";

import { withOrg } from "@/db";
import { defineAction } from "@/lib/actions";
import { BILLING_READ_ROLES, getBillingAccess, requireBillingScope } from "@/lib/auth/billing-access";
import { ADMIN_ONLY, BILLING_ROLES } from "@/lib/auth/roles";
import { assignMembersToBillingGroup } from "@/lib/billing-groups/assignment";
import { getBillingGroupDetails, searchMembersForAssignment } from "@/lib/billing-groups/queries";
import {
  addViewersSchema,
  assignMembersSchema,
  createBillingGroupSchema,
  deleteBillingGroupSchema,
  detailsSchema,
  memberSearchSchema,
  removeViewerSchema,
  setPeriodLimitSchema,
  updateBillingGroupSchema,
  viewersListSchema,
} from "@/lib/billing-groups/schemas";
import {
  createBillingGroup,
  deleteBillingGroup,
  setBillingGroupPeriodLimit,
  updateBillingGroup,
} from "@/lib/billing-groups/service";
import { toDetailsDto } from "@/lib/billing-groups/dto";
import {
  grantBillingGroupViewers,
  listBillingGroupViewers,
  revokeBillingGroupViewer,
} from "@/lib/billing-groups/viewers";
import { NotFoundError } from "@/lib/errors";
import { pagePeriod } from "@/lib/periods/page-period";

// Thin: the wrapper authorizes (R3, R4) and checks the period (R23); the service does the work.

const revalidate = ["/billing-groups"];

export const createBillingGroupAction = defineAction({
  name: "billing-groups.create",
  schema: createBillingGroupSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ orgId, actor }, input) => withOrg(orgId, (tx) => createBillingGroup(tx, { orgId, actor }, input)),
});

export const updateBillingGroupAction = defineAction({
  name: "billing-groups.update",
  schema: updateBillingGroupSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ orgId, actor }, input) => withOrg(orgId, (tx) => updateBillingGroup(tx, { orgId, actor }, input)),
});

export const setPeriodLimitAction = defineAction({
  name: "billing-groups.set-period-limit",
  schema: setPeriodLimitSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ orgId, actor }, input) => withOrg(orgId, (tx) => setBillingGroupPeriodLimit(tx, { orgId, actor }, input)),
});

export const deleteBillingGroupAction = defineAction({
  name: "billing-groups.delete",
  schema: deleteBillingGroupSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ orgId, actor }, input) => withOrg(orgId, (tx) => deleteBillingGroup(tx, { orgId, actor }, input)),
});

export const assignMembersAction = defineAction({
  name: "billing-groups.assign-members",
  schema: assignMembersSchema,
  roles: BILLING_ROLES,
  requiresCurrentPeriod: true,
  revalidate,
  run: ({ orgId, actor }, input) =>
    withOrg(orgId, (tx) =>
      assignMembersToBillingGroup(tx, {
        orgId,
        actor,
        memberIds: input.memberIds,
        billingGroupId: input.billingGroupId,
      }),
    ),
});

/** Read for React Query in the Handle / Add Members drawers. */
export const searchMembersAction = defineAction({
  name: "billing-groups.search-members",
  schema: memberSearchSchema,
  roles: BILLING_ROLES,
  run: ({ orgId }, input) =>
    withOrg(orgId, (tx) => searchMembersForAssignment(tx, { orgId, q: input.q, scope: input.scope })),
});

/**
 * Read for React Query in the details drawer (R15): members only for the current period.
 * Billing group viewers (R33) may read the groups they were granted, nothing else.
 */
export const billingGroupDetailsAction = defineAction({
  name: "billing-groups.details",
  schema: detailsSchema,
  roles: BILLING_READ_ROLES,
  run: async ({ orgId, member }, input) => {
    requireBillingScope(await getBillingAccess(member), input.id);
    const { period, isHistorical } = pagePeriod(member, input.period);
    const details = await withOrg(orgId, (tx) =>
      getBillingGroupDetails(tx, { orgId, billingGroupId: input.id, period, includeMembers: !isHistorical }),
    );
    if (!details) throw new NotFoundError("That billing group");
    return toDetailsDto(details, { period, isHistorical });
  },
});

/** R33: the Permissions tab — who may view this billing group. Admins only. */
export const billingGroupViewersAction = defineAction({
  name: "billing-groups.viewers",
  schema: viewersListSchema,
  roles: ADMIN_ONLY,
  run: async ({ orgId }, input) => {
    const viewers = await withOrg(orgId, (tx) =>
      listBillingGroupViewers(tx, { orgId, billingGroupId: input.billingGroupId }),
    );
    return viewers.map((v) => ({ ...v, grantedAt: v.grantedAt.toISOString() }));
  },
});

export const addBillingGroupViewersAction = defineAction({
  name: "billing-groups.add-viewers",
  schema: addViewersSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ orgId, actor }, input) => withOrg(orgId, (tx) => grantBillingGroupViewers(tx, { orgId, actor }, input)),
});

export const removeBillingGroupViewerAction = defineAction({
  name: "billing-groups.remove-viewer",
  schema: removeViewerSchema,
  roles: ADMIN_ONLY,
  revalidate,
  run: ({ orgId, actor }, input) => withOrg(orgId, (tx) => revokeBillingGroupViewer(tx, { orgId, actor }, input)),
});
