import "server-only";
import { randomUUID } from "node:crypto";
import { withOrg } from "@/db";
import { recordAudit } from "@/lib/audit/service";
import { BILLING_READ_ROLES, getBillingAccess, requireBillingScope } from "@/lib/auth/billing-access";
import { requireMemberRole, type Principal } from "@/lib/auth/principal";
import { BILLING_ROLES } from "@/lib/auth/roles";
import { now } from "@/lib/clock";
import { DomainError } from "@/lib/errors";
import { UNASSIGNED_ID } from "@/lib/ids";
import { requireExportPeriod } from "@/lib/export/period";
import { queueJob } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { emailDeliveryConfigured } from "@/lib/mail/transport";
import { getOrganizationCreatedAt } from "@/lib/organization/queries";
import type { SendStatementResult, StatementDeliveriesDto } from "./dto";
import { statementSendKey } from "./jobs";
import { resolveRecipientGroup } from "@/lib/recipients/queries";
import { listGroupDeliveries, queueStatementRequest } from "./queries";
import { isClosedPeriod } from "./rules";
import type { SendStatementInput } from "./schemas";

// Statements of a billing group (R39): its delivery log, and `Send Statement` for a closed period.

/** How many deliveries the Recipients tab lists (newest first). */
const DELIVERY_LOG_SIZE = 100;

/** The group's deliveries, newest first. Billing roles, and viewers of that group (read only). */
export async function getStatementDeliveries(
  principal: Principal,
  params: { billingGroup: string },
): Promise<StatementDeliveriesDto> {
  const reader = requireMemberRole(principal, BILLING_READ_ROLES);
  // Authorized before the id is looked at, as the recipients list is: no grant, no answer (403).
  requireBillingScope(await getBillingAccess(reader.member), params.billingGroup);
  const orgId = reader.orgId;
  const rows = await withOrg(orgId, async (tx) => {
    const group = await resolveRecipientGroup(tx, { orgId, billingGroup: params.billingGroup });
    return listGroupDeliveries(tx, { orgId, billingGroupId: group.id, limit: DELIVERY_LOG_SIZE });
  });
  return {
    emailConfigured: emailDeliveryConfigured(),
    deliveries: rows.map((row) => ({
      id: row.id,
      email: row.email,
      period: row.period,
      status: row.status,
      attempts: row.attempts,
      lastError: row.lastError,
      trigger: row.requestId === null ? "period_close" : "manual",
      createdAt: row.createdAt.toISOString(),
      sentAt: row.sentAt?.toISOString() ?? null,
      nextAttemptAt: row.status === "queued" || row.status === "retrying" ? row.nextAttemptAt.toISOString() : null,
    })),
  };
}

/**
 * `Send Statement` (R39): queues the statement of a closed period for every recipient of the
 * group, through the same deliveries and send job as the period close. Billing roles.
 */
export async function sendStatement(principal: Principal, input: SendStatementInput): Promise<SendStatementResult> {
  const { orgId, actor } = requireMemberRole(principal, BILLING_ROLES);
  if (!emailDeliveryConfigured()) {
    throw new DomainError("invalid_input", "Email delivery is not configured: set SMTP_URL to send statements.");
  }
  const at = now();
  if (!isClosedPeriod(input.period, at)) {
    throw new DomainError(
      "invalid_input",
      "This period has not closed yet: statements are sent for closed periods. Choose an earlier period.",
    );
  }
  const { group, deliveries } = await withOrg(orgId, async (tx) => {
    requireExportPeriod(await getOrganizationCreatedAt(tx, { orgId }), input.period);
    const group = await resolveRecipientGroup(tx, { orgId, billingGroup: input.billingGroup });
    const deliveries = await queueStatementRequest(tx, {
      orgId,
      billingGroupId: group.id,
      billingGroupName: group.name,
      period: input.period,
      requestId: randomUUID(),
      requestedBy: actor.id,
      now: at,
    });
    if (deliveries === 0) {
      throw new DomainError("invalid_input", "This billing group has no recipients: add one before sending.");
    }
    await recordAudit(tx, {
      orgId,
      actor,
      action: "billing_group.statement_sent",
      targetType: "billing_group",
      targetId: group.id ?? UNASSIGNED_ID,
      targetLabel: group.name,
      after: { period: input.period, recipients: deliveries },
    });
    return { group, deliveries };
  });
  const target = { orgId, billingGroupId: group.id, period: input.period };
  await queueJob(QUEUES.statementsSend, target, statementSendKey(target));
  return { period: input.period, deliveries };
}
