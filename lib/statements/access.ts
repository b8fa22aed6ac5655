import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { withOrg, type Executor } from "@/db";
import { recordAudit } from "@/lib/audit/service";
import { BILLING_READ_ROLES, getBillingAccess, requireBillingScope } from "@/lib/auth/billing-access";
import { requireMemberRole, type Principal } from "@/lib/auth/principal";
import { BILLING_ROLES, type Role } from "@/lib/auth/roles";
import { now } from "@/lib/clock";
import { DomainError, NotFoundError } from "@/lib/errors";
import { requireExportPeriod } from "@/lib/export/period";
import { queueJob } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { emailDeliveryConfigured } from "@/lib/mail/transport";
import { getOrganizationCreatedAt } from "@/lib/organization/queries";
import type { SendStatementResult, StatementDeliveriesDto } from "./dto";
import { statementSendKey } from "./jobs";
import { listGroupDeliveries, queueStatementRequest, type GroupKey } from "./queries";
import { isClosedPeriod } from "./rules";
import { billingGroupKeySchema, type SendStatementInput } from "./schemas";

// Statements of a billing group (R39): its delivery log, and `Send Statement` for a closed period.

/** How many deliveries the Recipients tab lists (newest first). */
const DELIVERY_LOG_SIZE = 100;

type StatementGroup = { key: GroupKey; name: string };

/** `unassigned` or a billing group id of this org (a deleted group keeps its statements). */
async function resolveStatementGroup(db: Executor, orgId: string, billingGroup: string): Promise<StatementGroup> {
  if (billingGroup === "unassigned") return { key: null, name: "Unassigned" };
  const rows = await db.execute<{ id: string; name: string }>(
    sql`select id, name from billing_groups where org_id = ${orgId} and id = ${billingGroup}`,
  );
  const group = rows[0];
  if (!group) throw new NotFoundError("That billing group");
  return { key: group.id, name: group.name };
}

/** The group's deliveries, newest first. Billing roles, and viewers of that group (read only). */
export async function getStatementDeliveries(
  principal: Principal,
  params: { billingGroup: string },
): Promise<StatementDeliveriesDto> {
  const reader = requireMemberRole(principal, BILLING_READ_ROLES);
  if (!(BILLING_ROLES as readonly Role[]).includes(reader.member.role)) {
    requireBillingScope(await getBillingAccess(reader.member), params.billingGroup);
  }
  const orgId = reader.orgId;
  const billingGroup = billingGroupKeySchema.safeParse(params.billingGroup);
  if (!billingGroup.success) throw new NotFoundError("That billing group");
  const rows = await withOrg(orgId, async (tx) => {
    const group = await resolveStatementGroup(tx, orgId, billingGroup.data);
    return listGroupDeliveries(tx, { orgId, billingGroupId: group.key, limit: DELIVERY_LOG_SIZE });
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
    const group = await resolveStatementGroup(tx, orgId, input.billingGroup);
    const deliveries = await queueStatementRequest(tx, {
      orgId,
      billingGroupId: group.key,
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
      targetId: group.key,
      targetLabel: group.name,
      after: { period: input.period, recipients: deliveries },
    });
    return { group, deliveries };
  });
  const target = { orgId, billingGroupId: group.key, period: input.period };
  await queueJob(QUEUES.statementsSend, target, statementSendKey(target));
  return { period: input.period, deliveries };
}
