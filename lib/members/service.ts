import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { members } from "@/db/schema";
import { revokeApiKeysCreatedBy } from "@/lib/api-keys/service";
import { recordAudit } from "@/lib/audit/service";
import type { WriteActor } from "@/lib/auth/principal";
import { ADMIN_ONLY, BILLING_ROLES, type Role } from "@/lib/auth/roles";
import { endMemberSessions } from "@/lib/auth/sessions";
import { assignMembersToBillingGroup } from "@/lib/billing-groups/assignment";
import { formatCredits } from "@/lib/credits/rules";
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";

/** Who acts. The role is re-checked here too, so no caller can skip R3 by forgetting the wrapper. */
export type MemberActor = { id: string; label: string; role: Role };

type Scope = { orgId: string; actor: MemberActor };

/** Changes a billing admin may make, so also an `admin`-scoped API key (R44), recorded under its name. */
type BillingScope = { orgId: string; actor: WriteActor };

export function assertRole(actor: { role: Role }, roles: readonly Role[], message?: string) {
  if (!roles.includes(actor.role)) throw new ForbiddenError(message);
}

export const memberLabel = (m: { name: string; email: string }) => `${m.name} <${m.email}>`;
export const limitText = (limit: bigint | null) => (limit === null ? null : formatCredits(limit));

export const DUPLICATE_EMAIL_MESSAGE = "A member with this email already exists in this organization.";

/** Add Member (admin): email unique per org, case-insensitive (R2); optional limit and billing group. */
export async function addMember(
  tx: Transaction,
  {
    orgId,
    actor,
    input,
  }: Scope & {
    input: { name: string; email: string; role: Role; personalLimit: bigint | null; billingGroupId: string | null };
  },
) {
  assertRole(actor, ADMIN_ONLY, "Only admins can add members.");
  const [existing] = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.orgId, orgId), sql`lower(${members.email}) = lower(${input.email})`))
    .limit(1);
  if (existing) throw new ConflictError(DUPLICATE_EMAIL_MESSAGE, "email");
  let created: { id: string; name: string; email: string };
  try {
    const [row] = await tx
      .insert(members)
      .values({ orgId, name: input.name, email: input.email, role: input.role, personalLimit: input.personalLimit })
      .returning({ id: members.id, name: members.name, email: members.email });
    created = row!;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(DUPLICATE_EMAIL_MESSAGE, "email");
    throw error;
  }
  await recordAudit(tx, {
    orgId,
    actor,
    action: "member.created",
    targetType: "member",
    targetId: created.id,
    targetLabel: memberLabel(created),
    after: { name: input.name, email: input.email, role: input.role, personalLimit: limitText(input.personalLimit) },
  });
  if (input.billingGroupId) {
    await assignMembersToBillingGroup(tx, {
      orgId,
      actor,
      memberIds: [created.id],
      billingGroupId: input.billingGroupId,
    });
  }
  return { id: created.id };
}

/** R12 from the member list, details and bulk: one shared assignment path. */
export async function assignBillingGroup(
  tx: Transaction,
  { orgId, actor, memberIds, billingGroupId }: BillingScope & { memberIds: string[]; billingGroupId: string | null },
) {
  assertRole(actor, BILLING_ROLES);
  return assignMembersToBillingGroup(tx, { orgId, actor, memberIds, billingGroupId });
}

/** R18: sets the Personal Usage Limit of one or many members, all or nothing, one audit entry each. */
export async function setPersonalLimit(
  tx: Transaction,
  { orgId, actor, memberIds, personalLimit }: BillingScope & { memberIds: string[]; personalLimit: bigint | null },
) {
  assertRole(actor, BILLING_ROLES);
  const ids = [...new Set(memberIds)];
  if (ids.length === 0) throw new DomainError("invalid_input", "Select at least one member.");
  // Locked in id order so concurrent bulk edits cannot deadlock.
  const current = await tx
    .select({ id: members.id, name: members.name, email: members.email, personalLimit: members.personalLimit })
    .from(members)
    .where(and(eq(members.orgId, orgId), inArray(members.id, ids)))
    .orderBy(members.id)
    .for("update");
  if (current.length !== ids.length) throw new NotFoundError("One or more of the selected members");
  const changing = current.filter((m) => m.personalLimit !== personalLimit);
  if (changing.length > 0) {
    await tx
      .update(members)
      .set({ personalLimit, updatedAt: sql`now()` })
      .where(
        and(
          eq(members.orgId, orgId),
          inArray(
            members.id,
            changing.map((m) => m.id),
          ),
        ),
      );
  }
  for (const member of changing) {
    await recordAudit(tx, {
      orgId,
      actor,
      action: "member.personal_limit_set",
      targetType: "member",
      targetId: member.id,
      targetLabel: memberLabel(member),
      before: { personalLimit: limitText(member.personalLimit) },
      after: { personalLimit: limitText(personalLimit) },
    });
  }
  return { updated: changing.length, unchanged: current.length - changing.length };
}

async function lockMember(tx: Transaction, orgId: string, memberId: string) {
  const [member] = await tx
    .select({
      id: members.id,
      name: members.name,
      email: members.email,
      role: members.role,
      deactivatedAt: members.deactivatedAt,
    })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.id, memberId)))
    .for("update");
  if (!member) throw new NotFoundError("That member");
  return member;
}

/**
 * R3 safety: the org keeps at least one active admin. Every role change and deactivation first
 * locks all active admin rows in id order (admins are few), before the target row, so two admins
 * demoting or deactivating each other at once serialize instead of deadlocking, and the second
 * sees the first's change.
 */
async function lockActiveAdmins(tx: Transaction, orgId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.role, "admin"), isNull(members.deactivatedAt)))
    .orderBy(members.id)
    .for("update");
  return rows.map((r) => r.id);
}

const LAST_ADMIN_MESSAGE = "The organization needs at least one active admin.";

export async function changeMemberRole(
  tx: Transaction,
  { orgId, actor, memberId, role }: Scope & { memberId: string; role: Role },
) {
  assertRole(actor, ADMIN_ONLY, "Only admins can change roles.");
  if (memberId === actor.id)
    throw new DomainError("conflict", "You cannot change your own role. Ask another admin.", {
      role: ["You cannot change your own role."],
    });
  const admins = await lockActiveAdmins(tx, orgId);
  const member = await lockMember(tx, orgId, memberId);
  if (member.role === role) return { changed: false };
  if (admins.includes(memberId) && admins.length < 2) throw new DomainError("conflict", LAST_ADMIN_MESSAGE);
  await tx
    .update(members)
    .set({ role, updatedAt: sql`now()` })
    .where(and(eq(members.orgId, orgId), eq(members.id, memberId)));
  // R47: a role change ends the member's older sessions (they sign in again under the new role).
  await endMemberSessions(tx, { orgId, memberId });
  await recordAudit(tx, {
    orgId,
    actor,
    action: "member.role_changed",
    targetType: "member",
    targetId: memberId,
    targetLabel: memberLabel(member),
    before: { role: member.role },
    after: { role },
  });
  return { changed: true };
}

/**
 * Deactivation ends the member's console access at once (R4). Their API keys are the
 * organization's (R29) and keep working, unless `revokeApiKeys` asks to revoke every live key they
 * created, in this same transaction, each revocation audited like a manual one (issue 22). A
 * member already deactivated still has their keys revoked when asked: that is what the admin chose.
 */
export async function deactivateMember(
  tx: Transaction,
  { orgId, actor, memberId, revokeApiKeys = false }: Scope & { memberId: string; revokeApiKeys?: boolean },
) {
  assertRole(actor, ADMIN_ONLY, "Only admins can deactivate members.");
  if (memberId === actor.id) throw new DomainError("conflict", "You cannot deactivate yourself. Ask another admin.");
  const admins = await lockActiveAdmins(tx, orgId);
  const member = await lockMember(tx, orgId, memberId);
  const alreadyDeactivated = member.deactivatedAt !== null;
  if (!alreadyDeactivated && admins.includes(memberId) && admins.length < 2)
    throw new DomainError("conflict", LAST_ADMIN_MESSAGE);
  const revoked = revokeApiKeys ? await revokeApiKeysCreatedBy(tx, { orgId, actor, memberId }) : [];
  if (alreadyDeactivated) return { changed: false, revokedApiKeys: revoked.length };
  await tx
    .update(members)
    .set({ deactivatedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(members.orgId, orgId), eq(members.id, memberId)));
  await endMemberSessions(tx, { orgId, memberId });
  await recordAudit(tx, {
    orgId,
    actor,
    action: "member.deactivated",
    targetType: "member",
    targetId: memberId,
    targetLabel: memberLabel(member),
    before: { active: true },
    after: revokeApiKeys ? { active: false, apiKeysRevoked: revoked.length } : { active: false },
  });
  return { changed: true, revokedApiKeys: revoked.length };
}

export async function reactivateMember(tx: Transaction, { orgId, actor, memberId }: Scope & { memberId: string }) {
  assertRole(actor, ADMIN_ONLY, "Only admins can reactivate members.");
  const member = await lockMember(tx, orgId, memberId);
  if (!member.deactivatedAt) return { changed: false };
  await tx
    .update(members)
    .set({ deactivatedAt: null, updatedAt: sql`now()` })
    .where(and(eq(members.orgId, orgId), eq(members.id, memberId)));
  // R47: sessions from before the deactivation stay dead after reactivation.
  await endMemberSessions(tx, { orgId, memberId });
  await recordAudit(tx, {
    orgId,
    actor,
    action: "member.reactivated",
    targetType: "member",
    targetId: memberId,
    targetLabel: memberLabel(member),
    before: { active: false },
    after: { active: true },
  });
  return { changed: true };
}
