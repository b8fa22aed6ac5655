import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor, Transaction } from "@/db";
import { billingGroups, billingGroupViewers, members } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/service";
import { DomainError, NotFoundError } from "@/lib/errors";
import { loadLiveBillingGroup } from "./live";

// R3, R33: billing group viewers — members granted read access to specific billing groups.
// Writes take the caller's transaction (opened by `withOrg`), so the grant and its audit entry
// commit together.

type Ctx = { orgId: string; actor: AuditActor };

export type BillingGroupViewer = {
  memberId: string;
  name: string;
  email: string;
  grantedBy: string | null;
  grantedAt: Date;
};

const granters = alias(members, "granters");

export async function listBillingGroupViewers(
  db: Executor,
  params: { orgId: string; billingGroupId: string },
): Promise<BillingGroupViewer[]> {
  return db
    .select({
      memberId: billingGroupViewers.memberId,
      name: members.name,
      email: members.email,
      grantedBy: granters.name,
      grantedAt: billingGroupViewers.grantedAt,
    })
    .from(billingGroupViewers)
    .innerJoin(members, and(eq(members.orgId, billingGroupViewers.orgId), eq(members.id, billingGroupViewers.memberId)))
    .leftJoin(
      granters,
      and(eq(granters.orgId, billingGroupViewers.orgId), eq(granters.id, billingGroupViewers.grantedBy)),
    )
    .where(
      and(eq(billingGroupViewers.orgId, params.orgId), eq(billingGroupViewers.billingGroupId, params.billingGroupId)),
    )
    .orderBy(asc(members.name), asc(members.id));
}

/** The billing groups a member was granted viewer on (live or deleted; callers filter by what they show). */
export async function getViewerBillingGroupIds(
  db: Executor,
  params: { orgId: string; memberId: string },
): Promise<string[]> {
  const rows = await db
    .select({ id: billingGroupViewers.billingGroupId })
    .from(billingGroupViewers)
    .where(and(eq(billingGroupViewers.orgId, params.orgId), eq(billingGroupViewers.memberId, params.memberId)));
  return rows.map((r) => r.id);
}

/** Grants viewer on a live billing group to active members of the same org. Granting twice changes nothing. */
export async function grantBillingGroupViewers(
  tx: Transaction,
  ctx: Ctx,
  input: { billingGroupId: string; memberIds: string[] },
): Promise<{ added: number }> {
  const group = await loadLiveBillingGroup(tx, { orgId: ctx.orgId, id: input.billingGroupId });
  let added = 0;
  for (const memberId of [...new Set(input.memberIds)]) {
    const [member] = await tx
      .select({ id: members.id, name: members.name, email: members.email, deactivatedAt: members.deactivatedAt })
      .from(members)
      .where(and(eq(members.orgId, ctx.orgId), eq(members.id, memberId)));
    if (!member) throw new NotFoundError("That member");
    if (member.deactivatedAt)
      throw new DomainError("conflict", `${member.name} is deactivated and cannot be granted viewer access.`);
    const inserted = await tx
      .insert(billingGroupViewers)
      .values({ orgId: ctx.orgId, billingGroupId: group.id, memberId: member.id, grantedBy: ctx.actor.id })
      .onConflictDoNothing()
      .returning({ memberId: billingGroupViewers.memberId });
    if (inserted.length === 0) continue;
    added += 1;
    await recordAudit(tx, {
      orgId: ctx.orgId,
      actor: ctx.actor,
      action: "billing_group.viewer_added",
      targetType: "billing_group",
      targetId: group.id,
      targetLabel: group.name,
      after: { viewer: { id: member.id, name: member.name, email: member.email } },
    });
  }
  return { added };
}

/** Revokes a viewer grant; revoking one that does not exist changes nothing. Works on deleted groups too. */
export async function revokeBillingGroupViewer(
  tx: Transaction,
  ctx: Ctx,
  input: { billingGroupId: string; memberId: string },
): Promise<{ removed: boolean }> {
  const removed = await tx
    .delete(billingGroupViewers)
    .where(
      and(
        eq(billingGroupViewers.orgId, ctx.orgId),
        eq(billingGroupViewers.billingGroupId, input.billingGroupId),
        eq(billingGroupViewers.memberId, input.memberId),
      ),
    )
    .returning({ memberId: billingGroupViewers.memberId });
  if (removed.length === 0) return { removed: false };
  const [group] = await tx
    .select({ name: billingGroups.name })
    .from(billingGroups)
    .where(and(eq(billingGroups.orgId, ctx.orgId), eq(billingGroups.id, input.billingGroupId)));
  const [member] = await tx
    .select({ name: members.name, email: members.email })
    .from(members)
    .where(and(eq(members.orgId, ctx.orgId), eq(members.id, input.memberId)));
  await recordAudit(tx, {
    orgId: ctx.orgId,
    actor: ctx.actor,
    action: "billing_group.viewer_removed",
    targetType: "billing_group",
    targetId: input.billingGroupId,
    targetLabel: group?.name ?? input.billingGroupId,
    before: { viewer: { id: input.memberId, name: member?.name ?? null, email: member?.email ?? null } },
  });
  return { removed: true };
}
