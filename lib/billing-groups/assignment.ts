import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { billingGroups, members } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/service";
import { DomainError, NotFoundError } from "@/lib/errors";
import { BULK_CHANGE_MESSAGE, MAX_MEMBERS_PER_BULK_CHANGE } from "@/lib/limits";
import { loadLiveBillingGroup } from "./live";

export type AssignMembersInput = {
  orgId: string;
  actor: AuditActor;
  memberIds: string[];
  /** null = back to Unassigned. */
  billingGroupId: string | null;
};

/**
 * R9/R12: sets the current billing group of many members in one transaction, all or nothing.
 * Only the current billing group changes; usage already recorded keeps its attribution (R21).
 *
 * R38: the target group's row is locked FOR SHARE and re-checked live, and a billing group
 * delete locks the same row FOR UPDATE before moving its members to Unassigned — so an
 * assignment and a delete racing can never leave a member in a deleted group.
 */
export async function assignMembersToBillingGroup(tx: Transaction, input: AssignMembersInput) {
  const memberIds = [...new Set(input.memberIds)];
  if (memberIds.length === 0) throw new DomainError("invalid_input", "Select at least one member.");
  if (memberIds.length > MAX_MEMBERS_PER_BULK_CHANGE) throw new DomainError("invalid_input", BULK_CHANGE_MESSAGE);

  let groupName = "Unassigned";
  if (input.billingGroupId) {
    const group = await loadLiveBillingGroup(tx, { orgId: input.orgId, id: input.billingGroupId, lock: "share" });
    groupName = group.name;
  }

  // Lock the members in a stable order (by id) so concurrent bulk assignments cannot deadlock.
  const current = await tx
    .select({ id: members.id, name: members.name, email: members.email, billingGroupId: members.billingGroupId })
    .from(members)
    .where(and(eq(members.orgId, input.orgId), inArray(members.id, memberIds), isNull(members.deactivatedAt)))
    .orderBy(members.id)
    .for("update");
  if (current.length !== memberIds.length) throw new NotFoundError("One or more of the selected members");

  const changing = current.filter((m) => m.billingGroupId !== input.billingGroupId);
  if (changing.length > 0) {
    await tx
      .update(members)
      .set({ billingGroupId: input.billingGroupId, updatedAt: sql`now()` })
      .where(
        and(
          eq(members.orgId, input.orgId),
          inArray(
            members.id,
            changing.map((m) => m.id),
          ),
        ),
      );
  }

  const previousNames = await groupNames(
    tx,
    input.orgId,
    changing.map((m) => m.billingGroupId),
  );
  for (const member of changing) {
    await recordAudit(tx, {
      orgId: input.orgId,
      actor: input.actor,
      action: "member.billing_group_assigned",
      targetType: "member",
      targetId: member.id,
      targetLabel: `${member.name} <${member.email}>`,
      before: {
        billingGroupId: member.billingGroupId,
        billingGroup: previousNames.get(member.billingGroupId) ?? "Unassigned",
      },
      after: { billingGroupId: input.billingGroupId, billingGroup: groupName },
    });
  }
  return { assigned: changing.length, unchanged: current.length - changing.length, billingGroupName: groupName };
}

async function groupNames(tx: Transaction, orgId: string, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const names = new Map<string | null, string>([[null, "Unassigned"]]);
  if (wanted.length === 0) return names;
  const rows = await tx
    .select({ id: billingGroups.id, name: billingGroups.name })
    .from(billingGroups)
    .where(and(eq(billingGroups.orgId, orgId), inArray(billingGroups.id, wanted)));
  for (const row of rows) names.set(row.id, row.name);
  return names;
}
