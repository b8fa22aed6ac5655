import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { billingGroupRecipients } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/service";
import { loadLiveBillingGroup } from "@/lib/billing-groups/live";
import { UNASSIGNED_LABEL } from "@/lib/billing-groups/rules";
import { isUniqueViolation } from "@/lib/db-errors";
import { ConflictError, DomainError, NotFoundError } from "@/lib/errors";
import { UNASSIGNED_ID } from "@/lib/ids";
import { MAX_RECIPIENTS_PER_BILLING_GROUP } from "@/lib/limits";
import { recipientCount, recipientsOf } from "./queries";

// Writes of the Recipients tab (R39, R36). Every function takes the caller's transaction (opened by
// `withOrg`), so the change and its audit entry commit together.

type Ctx = { orgId: string; actor: AuditActor };

export const DUPLICATE_RECIPIENT = "This address is already a recipient of this billing group.";
export const TOO_MANY_RECIPIENTS = `A billing group has at most ${MAX_RECIPIENTS_PER_BILLING_GROUP} recipients. Remove one before adding another.`;

/**
 * The group whose recipients change: Unassigned (null) always exists; a billing group must be live
 * (R13), and its row is share-locked so a concurrent delete waits for this change or wins cleanly.
 */
async function liveTarget(tx: Transaction, orgId: string, billingGroupId: string | null) {
  if (billingGroupId === null) return { id: null, auditId: UNASSIGNED_ID, name: UNASSIGNED_LABEL };
  const group = await loadLiveBillingGroup(tx, { orgId, id: billingGroupId, lock: "share" });
  return { id: group.id, auditId: group.id, name: group.name };
}

export async function addRecipient(
  tx: Transaction,
  ctx: Ctx,
  input: { billingGroupId: string | null; email: string },
): Promise<{ id: string; email: string; billingGroupName: string; count: number }> {
  const target = await liveTarget(tx, ctx.orgId, input.billingGroupId);
  // Count-then-insert is a race without it: one lock per (org, group) lines up concurrent adds, so
  // eleven of them to a group of nine end with ten. Unassigned has no row to lock; this works for both.
  const key = `billing_group_recipients:${ctx.orgId}:${target.auditId}`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
  const { count, taken } = await recipientCount(tx, { ...ctx, billingGroupId: target.id, email: input.email });
  if (taken) throw new ConflictError(DUPLICATE_RECIPIENT, "email");
  if (count >= MAX_RECIPIENTS_PER_BILLING_GROUP)
    throw new DomainError("limit_exceeded", TOO_MANY_RECIPIENTS, { email: [TOO_MANY_RECIPIENTS] });
  let inserted: { id: string; email: string } | undefined;
  try {
    [inserted] = await tx
      .insert(billingGroupRecipients)
      .values({ orgId: ctx.orgId, billingGroupId: target.id, email: input.email, createdBy: ctx.actor.id })
      .returning({ id: billingGroupRecipients.id, email: billingGroupRecipients.email });
  } catch (error) {
    // The unique key is the last word on duplicates, whatever got past the check above.
    if (isUniqueViolation(error, "billing_group_recipients_email_key"))
      throw new ConflictError(DUPLICATE_RECIPIENT, "email");
    throw error;
  }
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actor: ctx.actor,
    action: "billing_group.recipient_added",
    targetType: "billing_group",
    targetId: target.auditId,
    targetLabel: target.name,
    after: { recipient: inserted },
  });
  return { id: inserted!.id, email: inserted!.email, billingGroupName: target.name, count: count + 1 };
}

export async function removeRecipient(
  tx: Transaction,
  ctx: Ctx,
  input: { billingGroupId: string | null; recipientId: string },
): Promise<{ email: string; billingGroupName: string }> {
  const target = await liveTarget(tx, ctx.orgId, input.billingGroupId);
  const [removed] = await tx
    .delete(billingGroupRecipients)
    .where(and(recipientsOf(ctx.orgId, target.id), eq(billingGroupRecipients.id, input.recipientId)))
    .returning({ id: billingGroupRecipients.id, email: billingGroupRecipients.email });
  if (!removed) throw new NotFoundError("That recipient");
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actor: ctx.actor,
    action: "billing_group.recipient_removed",
    targetType: "billing_group",
    targetId: target.auditId,
    targetLabel: target.name,
    before: { recipient: removed },
  });
  return { email: removed.email, billingGroupName: target.name };
}
