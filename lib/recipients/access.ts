import "server-only";
import { withOrg } from "@/db";
import { BILLING_READ_ROLES, getBillingAccess, requireBillingScope } from "@/lib/auth/billing-access";
import { requireMemberRole, type Principal } from "@/lib/auth/principal";
import { BILLING_ROLES } from "@/lib/auth/roles";
import { NotFoundError } from "@/lib/errors";
import { parseBillingGroupRef, parseUuid, UNASSIGNED_ID } from "@/lib/ids";
import { toRecipientsDto, type RecipientsDto } from "./dto";
import * as queries from "./queries";
import * as service from "./service";

// The Recipients tab (R39): billing roles manage the statement recipients of every billing group,
// Unassigned included; a viewer of a group (R33) reads that group's recipients; anyone else is refused.

/** `unassigned` is the system group (null); a billing group id is itself; anything else is not found. */
function billingGroupIdOf(billingGroup: string): string | null {
  const ref = parseBillingGroupRef(billingGroup.trim());
  if (ref === null) throw new NotFoundError("That billing group");
  return ref === UNASSIGNED_ID ? null : ref;
}

export async function listRecipients(principal: Principal, params: { billingGroup: string }): Promise<RecipientsDto> {
  const reader = requireMemberRole(principal, BILLING_READ_ROLES);
  // Authorized before the id is even looked at: a member without a grant learns nothing (403).
  requireBillingScope(await getBillingAccess(reader.member), params.billingGroup);
  const { orgId } = reader;
  return withOrg(orgId, async (tx) => {
    const group = await queries.resolveRecipientGroup(tx, { orgId, billingGroup: params.billingGroup });
    const recipients = await queries.listRecipients(tx, { orgId, billingGroupId: group.id });
    return toRecipientsDto({ ...group, id: group.id ?? UNASSIGNED_ID }, recipients);
  });
}

function writer(principal: Principal) {
  const { orgId, actor } = requireMemberRole(principal, BILLING_ROLES);
  return { orgId, actor };
}

export async function addRecipient(principal: Principal, input: { billingGroup: string; email: string }) {
  const ctx = writer(principal);
  const billingGroupId = billingGroupIdOf(input.billingGroup);
  return withOrg(ctx.orgId, (tx) => service.addRecipient(tx, ctx, { billingGroupId, email: input.email }));
}

export async function removeRecipient(principal: Principal, input: { billingGroup: string; recipientId: string }) {
  const ctx = writer(principal);
  const billingGroupId = billingGroupIdOf(input.billingGroup);
  const recipientId = parseUuid(input.recipientId);
  if (!recipientId) throw new NotFoundError("That recipient");
  return withOrg(ctx.orgId, (tx) => service.removeRecipient(tx, ctx, { billingGroupId, recipientId }));
}
