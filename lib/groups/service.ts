import "server-only";
import { assertTypedName } from "@/lib/validation/confirm-name";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { groupMemberships, groups, members } from "@/db/schema";
import { recordAudit } from "@/lib/audit/service";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import type { MemberActor } from "@/lib/members/service";

// R5–R8: groups are functional groupings only. Nothing here reads or writes a member's role,
// billing group, personal limit or usage — only `groups` and `group_memberships`.

type Scope = { orgId: string; actor: MemberActor };

export const DUPLICATE_GROUP_MESSAGE = "A group with this name already exists.";

function assertAdmin(actor: MemberActor) {
  if (!(ADMIN_ONLY as readonly string[]).includes(actor.role))
    throw new ForbiddenError("Only admins can manage groups.");
}

async function assertNameFree(tx: Transaction, orgId: string, name: string, exceptId?: string) {
  const [clash] = await tx
    .select({ id: groups.id })
    .from(groups)
    .where(
      and(
        eq(groups.orgId, orgId),
        sql`lower(${groups.name}) = lower(${name})`,
        exceptId ? sql`${groups.id} <> ${exceptId}` : undefined,
      ),
    )
    .limit(1);
  if (clash) throw new ConflictError(DUPLICATE_GROUP_MESSAGE, "name");
}

async function uniqueName<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, "groups_org_name_key")) throw new ConflictError(DUPLICATE_GROUP_MESSAGE, "name");
    throw error;
  }
}

async function lockGroup(tx: Transaction, orgId: string, groupId: string) {
  const [group] = await tx
    .select({ id: groups.id, name: groups.name, description: groups.description })
    .from(groups)
    .where(and(eq(groups.orgId, orgId), eq(groups.id, groupId)))
    .for("update");
  if (!group) throw new NotFoundError("That group");
  return group;
}

export async function createGroup(
  tx: Transaction,
  { orgId, actor, name, description }: Scope & { name: string; description: string },
) {
  assertAdmin(actor);
  await assertNameFree(tx, orgId, name);
  const [group] = await uniqueName(() =>
    tx
      .insert(groups)
      .values({ orgId, name, description, createdBy: actor.id })
      .returning({ id: groups.id, name: groups.name }),
  );
  await recordAudit(tx, {
    orgId,
    actor,
    action: "group.created",
    targetType: "group",
    targetId: group!.id,
    targetLabel: name,
    after: { name, description },
  });
  return { id: group!.id };
}

export async function updateGroup(
  tx: Transaction,
  { orgId, actor, groupId, name, description }: Scope & { groupId: string; name: string; description: string },
) {
  assertAdmin(actor);
  const before = await lockGroup(tx, orgId, groupId);
  await assertNameFree(tx, orgId, name, groupId);
  await uniqueName(() =>
    tx
      .update(groups)
      .set({ name, description, updatedAt: sql`now()` })
      .where(and(eq(groups.orgId, orgId), eq(groups.id, groupId))),
  );
  await recordAudit(tx, {
    orgId,
    actor,
    action: "group.updated",
    targetType: "group",
    targetId: groupId,
    targetLabel: name,
    before: { name: before.name, description: before.description },
    after: { name, description },
  });
  return { id: groupId };
}

/** R7: deletes the group and its relationships only (the membership FK cascades). */
export async function deleteGroup(
  tx: Transaction,
  { orgId, actor, groupId, confirmName }: Scope & { groupId: string; confirmName: string },
) {
  assertAdmin(actor);
  const group = await lockGroup(tx, orgId, groupId);
  assertTypedName(confirmName, group.name);
  const [{ n } = { n: 0 }] = await tx
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.groupId, groupId)));
  await tx.delete(groups).where(and(eq(groups.orgId, orgId), eq(groups.id, groupId)));
  await recordAudit(tx, {
    orgId,
    actor,
    action: "group.deleted",
    targetType: "group",
    targetId: groupId,
    targetLabel: group.name,
    before: { name: group.name, description: group.description, memberCount: n },
  });
}

export async function addGroupMembers(
  tx: Transaction,
  { orgId, actor, groupId, memberIds }: Scope & { groupId: string; memberIds: string[] },
) {
  assertAdmin(actor);
  const group = await lockGroup(tx, orgId, groupId);
  const ids = [...new Set(memberIds)];
  const found = await tx
    .select({ id: members.id, name: members.name, email: members.email })
    .from(members)
    .where(and(eq(members.orgId, orgId), inArray(members.id, ids), isNull(members.deactivatedAt)));
  if (found.length !== ids.length) throw new NotFoundError("One or more of the selected members");
  const inserted = await tx
    .insert(groupMemberships)
    .values(ids.map((memberId) => ({ orgId, groupId, memberId, addedBy: actor.id })))
    .onConflictDoNothing()
    .returning({ memberId: groupMemberships.memberId });
  const added = found.filter((m) => inserted.some((i) => i.memberId === m.id));
  if (added.length > 0) {
    await recordAudit(tx, {
      orgId,
      actor,
      action: "group.members_added",
      targetType: "group",
      targetId: groupId,
      targetLabel: group.name,
      after: { members: added.map((m) => ({ id: m.id, name: m.name, email: m.email })) },
    });
  }
  return { added: added.length };
}

/** R7: removing deletes the relationship only. */
export async function removeGroupMember(
  tx: Transaction,
  { orgId, actor, groupId, memberId }: Scope & { groupId: string; memberId: string },
) {
  assertAdmin(actor);
  const group = await lockGroup(tx, orgId, groupId);
  const removed = await tx
    .delete(groupMemberships)
    .where(
      and(
        eq(groupMemberships.orgId, orgId),
        eq(groupMemberships.groupId, groupId),
        eq(groupMemberships.memberId, memberId),
      ),
    )
    .returning({ memberId: groupMemberships.memberId });
  if (removed.length === 0) throw new NotFoundError("That membership");
  const [member] = await tx
    .select({ name: members.name, email: members.email })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.id, memberId)));
  await recordAudit(tx, {
    orgId,
    actor,
    action: "group.member_removed",
    targetType: "group",
    targetId: groupId,
    targetLabel: group.name,
    before: { member: { id: memberId, name: member?.name, email: member?.email } },
  });
}
