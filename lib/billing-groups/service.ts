import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { billingGroups, members, organizations } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/service";
import { formatCredits } from "@/lib/credits/rules";
import { isUniqueViolation } from "@/lib/db-errors";
import { ConflictError, DomainError, NotFoundError, StaleWriteError } from "@/lib/errors";
import { billingGroupCapMessage } from "@/lib/limits";
import { loadLiveBillingGroup } from "./live";

// Writes for billing groups (R11, R13, R19, R36, R38). Every function takes the caller's
// transaction (opened by `withOrg`), so the change and its audit entry commit together.

type Ctx = { orgId: string; actor: AuditActor };

const DUPLICATE = "A billing group with this name already exists. Choose another name.";

function audited(group: { name: string; description: string; periodLimit: bigint | null }) {
  return {
    name: group.name,
    description: group.description,
    periodLimit: group.periodLimit === null ? null : formatCredits(group.periodLimit),
  };
}

async function assertNameFree(tx: Transaction, orgId: string, name: string, exceptId?: string) {
  const [clash] = await tx
    .select({ id: billingGroups.id })
    .from(billingGroups)
    .where(
      and(
        eq(billingGroups.orgId, orgId),
        isNull(billingGroups.deletedAt),
        sql`lower(${billingGroups.name}) = lower(${name})`,
        exceptId ? sql`${billingGroups.id} <> ${exceptId}` : undefined,
      ),
    )
    .limit(1);
  if (clash) throw new ConflictError(DUPLICATE, "name");
}

async function translateDuplicate<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // The partial unique index is the last word on duplicates when two admins race (R11).
    if (isUniqueViolation(error, "billing_groups_org_live_name_key")) throw new ConflictError(DUPLICATE, "name");
    throw error;
  }
}

export async function createBillingGroup(tx: Transaction, ctx: Ctx, input: { name: string; description: string }) {
  // Lock the org row so concurrent creates cannot both slip under the cap.
  const [org] = await tx
    .select({ cap: organizations.billingGroupCap })
    .from(organizations)
    .where(eq(organizations.id, ctx.orgId))
    .for("no key update");
  if (!org) throw new NotFoundError("This organization");
  const [live] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(billingGroups)
    .where(and(eq(billingGroups.orgId, ctx.orgId), isNull(billingGroups.deletedAt)));
  if ((live?.count ?? 0) >= org.cap) throw new DomainError("limit_exceeded", billingGroupCapMessage(org.cap));
  await assertNameFree(tx, ctx.orgId, input.name);
  const [group] = await translateDuplicate(() =>
    tx
      .insert(billingGroups)
      .values({ orgId: ctx.orgId, name: input.name, description: input.description, createdBy: ctx.actor.id })
      .returning(),
  );
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actor: ctx.actor,
    action: "billing_group.created",
    targetType: "billing_group",
    targetId: group!.id,
    targetLabel: group!.name,
    after: audited(group!),
  });
  return { id: group!.id, name: group!.name };
}

/**
 * Optimistic concurrency (R38): the update applies only to the version the admin started from.
 * Zero rows means someone else saved (or deleted) it in between: refuse, overwrite nothing.
 */
async function updateVersioned(
  tx: Transaction,
  ctx: Ctx,
  input: { id: string; version: number },
  changes: Partial<{ name: string; description: string; periodLimit: bigint | null }>,
) {
  const before = await loadLiveBillingGroup(tx, { orgId: ctx.orgId, id: input.id });
  const [after] = await translateDuplicate(() =>
    tx
      .update(billingGroups)
      .set({ ...changes, version: sql`${billingGroups.version} + 1`, updatedAt: sql`now()` })
      .where(
        and(
          eq(billingGroups.orgId, ctx.orgId),
          eq(billingGroups.id, input.id),
          eq(billingGroups.version, input.version),
          isNull(billingGroups.deletedAt),
        ),
      )
      .returning(),
  );
  if (!after) throw new StaleWriteError(`“${before.name}”`);
  return { before, after };
}

export async function updateBillingGroup(
  tx: Transaction,
  ctx: Ctx,
  input: { id: string; version: number; name: string; description: string },
) {
  await assertNameFree(tx, ctx.orgId, input.name, input.id);
  const { before, after } = await updateVersioned(tx, ctx, input, { name: input.name, description: input.description });
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actor: ctx.actor,
    action: "billing_group.updated",
    targetType: "billing_group",
    targetId: after.id,
    targetLabel: after.name,
    before: audited(before),
    after: audited(after),
  });
  return { id: after.id, version: after.version };
}

/** R19: null clears the limit. A limit below current usage is allowed (the group is then over it). */
export async function setBillingGroupPeriodLimit(
  tx: Transaction,
  ctx: Ctx,
  input: { id: string; version: number; limit: bigint | null },
) {
  const { before, after } = await updateVersioned(tx, ctx, input, { periodLimit: input.limit });
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actor: ctx.actor,
    action: "billing_group.period_limit_set",
    targetType: "billing_group",
    targetId: after.id,
    targetLabel: after.name,
    before: { periodLimit: audited(before).periodLimit },
    after: { periodLimit: audited(after).periodLimit },
  });
  return { id: after.id, version: after.version };
}

/**
 * R13/R38: lock the group row FOR NO KEY UPDATE (assignments hold it FOR SHARE; usage inserts only
 * take FOR KEY SHARE through their foreign key, so ingestion is never blocked into a deadlock), return its members to
 * Unassigned, then soft-delete it. Name, usage rows and history stay untouched.
 */
export async function deleteBillingGroup(tx: Transaction, ctx: Ctx, input: { id: string; confirmName: string }) {
  const group = await loadLiveBillingGroup(tx, { orgId: ctx.orgId, id: input.id, lock: "no key update" });
  if (input.confirmName.trim() !== group.name) {
    throw new ConflictError(`Type “${group.name}” exactly to confirm.`, "confirmName");
  }
  const moved = await tx
    .update(members)
    .set({ billingGroupId: null, updatedAt: sql`now()` })
    .where(and(eq(members.orgId, ctx.orgId), eq(members.billingGroupId, group.id)))
    .returning({ id: members.id });
  await tx
    .update(billingGroups)
    .set({
      deletedAt: sql`now()`,
      deletedBy: ctx.actor.id,
      version: sql`${billingGroups.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(billingGroups.orgId, ctx.orgId), eq(billingGroups.id, group.id)));
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actor: ctx.actor,
    action: "billing_group.deleted",
    targetType: "billing_group",
    targetId: group.id,
    targetLabel: group.name,
    before: { ...audited(group), members: moved.length },
    after: { deleted: true, membersReturnedToUnassigned: moved.map((m) => m.id) },
  });
  return { id: group.id, name: group.name, membersReturnedToUnassigned: moved.length };
}
