import "server-only";
import { assertTypedName } from "@/lib/validation/confirm-name";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { type BillingGroup, billingGroups, members, organizations } from "@/db/schema";
import { recordThresholdTransitions } from "@/lib/alerts/service";
import { recordAudit, type AuditActor } from "@/lib/audit/service";
import { now } from "@/lib/clock";
import { formatCredits } from "@/lib/credits/rules";
import { isUniqueViolation } from "@/lib/db-errors";
import { ConflictError, DomainError, NotFoundError, StaleWriteError } from "@/lib/errors";
import { billingGroupCapMessage } from "@/lib/limits";
import { periodOf } from "@/lib/periods/rules";
import { loadLiveBillingGroup } from "./live";

// Writes for billing groups (R11, R13, R19, R36, R38, R42). Every function takes the caller's
// transaction (opened by `withOrg`), so the change and its audit entry commit together.

type Ctx = { orgId: string; actor: AuditActor };

const DUPLICATE = "A billing group with this name already exists. Choose another name.";

const creditsText = (value: bigint | null) => (value === null ? null : formatCredits(value));

/** What the audit entries of a group carry before and after (R36), Credits as text. */
function audited(group: {
  name: string;
  description: string;
  periodLimit: bigint | null;
  defaultPersonalLimit: bigint | null;
}) {
  return {
    name: group.name,
    description: group.description,
    periodLimit: creditsText(group.periodLimit),
    defaultPersonalLimit: creditsText(group.defaultPersonalLimit),
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

/** R11; R42: `defaultPersonalLimit` in hundredths (≥ 0, validated by the caller's schema); absent or null = none. */
export async function createBillingGroup(
  tx: Transaction,
  ctx: Ctx,
  input: { name: string; description: string; defaultPersonalLimit?: bigint | null },
) {
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
      .values({
        orgId: ctx.orgId,
        name: input.name,
        description: input.description,
        defaultPersonalLimit: input.defaultPersonalLimit ?? null,
        createdBy: ctx.actor.id,
      })
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
  changes: Partial<{
    name: string;
    description: string;
    periodLimit: bigint | null;
    defaultPersonalLimit: bigint | null;
    alertThresholds: number[];
  }>,
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

/**
 * R11; R42: a changed `defaultPersonalLimit` applies to the group's members without a limit of
 * their own from their next usage event (the database reads it per event); undefined keeps it.
 */
export async function updateBillingGroup(
  tx: Transaction,
  ctx: Ctx,
  input: { id: string; version: number; name: string; description: string; defaultPersonalLimit?: bigint | null },
) {
  await assertNameFree(tx, ctx.orgId, input.name, input.id);
  const { before, after } = await updateVersioned(tx, ctx, input, {
    name: input.name,
    description: input.description,
    ...(input.defaultPersonalLimit === undefined ? {} : { defaultPersonalLimit: input.defaultPersonalLimit }),
  });
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

/**
 * A change to what R40's alerts are judged by (the limit or the thresholds): the versioned update,
 * the current period's alert events it causes, and its audit entry showing `field` before and
 * after. `events` is how many alert events it wrote; the caller wakes the dispatcher after commit.
 */
async function changeAlertSettings(
  tx: Transaction,
  ctx: Ctx,
  input: { id: string; version: number },
  change: {
    set: { periodLimit: bigint | null } | { alertThresholds: number[] };
    action: string;
    field: (group: BillingGroup) => Record<string, unknown>;
  },
) {
  const { before, after } = await updateVersioned(tx, ctx, input, change.set);
  const settings = (group: BillingGroup) => ({ limit: group.periodLimit, thresholds: group.alertThresholds });
  const events = await recordThresholdTransitions(tx, ctx, {
    group: { id: after.id, name: after.name },
    period: periodOf(now()),
    before: settings(before),
    after: settings(after),
  });
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actor: ctx.actor,
    action: change.action,
    targetType: "billing_group",
    targetId: after.id,
    targetLabel: after.name,
    before: change.field(before),
    after: change.field(after),
  });
  return { id: after.id, version: after.version, events };
}

/** R19: null clears the limit. A limit below current usage is allowed (the group is then over it). */
export function setBillingGroupPeriodLimit(
  tx: Transaction,
  ctx: Ctx,
  input: { id: string; version: number; limit: bigint | null },
) {
  return changeAlertSettings(tx, ctx, input, {
    set: { periodLimit: input.limit },
    action: "billing_group.period_limit_set",
    field: (group) => ({ periodLimit: creditsText(group.periodLimit) }),
  });
}

/** R40: the group's alert thresholds (1–5 percents of its limit, validated by the caller's schema). */
export function setAlertThresholds(
  tx: Transaction,
  ctx: Ctx,
  input: { id: string; version: number; thresholds: number[] },
) {
  return changeAlertSettings(tx, ctx, input, {
    set: { alertThresholds: input.thresholds },
    action: "billing_group.alert_thresholds_set",
    field: (group) => ({ alertThresholds: group.alertThresholds }),
  });
}

/**
 * R13/R38: lock the group row FOR NO KEY UPDATE (assignments hold it FOR SHARE; usage inserts only
 * take FOR KEY SHARE through their foreign key, so ingestion is never blocked into a deadlock), return its members to
 * Unassigned, then soft-delete it. Name, usage rows and history stay untouched.
 */
export async function deleteBillingGroup(tx: Transaction, ctx: Ctx, input: { id: string; confirmName: string }) {
  const group = await loadLiveBillingGroup(tx, { orgId: ctx.orgId, id: input.id, lock: "no key update" });
  assertTypedName(input.confirmName, group.name);
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
