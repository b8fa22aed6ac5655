import "server-only";
import { and, asc, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { billingGroupRecipients, billingGroups, members } from "@/db/schema";
import { UNASSIGNED_LABEL } from "@/lib/billing-groups/rules";
import { NotFoundError } from "@/lib/errors";
import { parseBillingGroupRef, UNASSIGNED_ID } from "@/lib/ids";

// Reads for the Recipients tab (R39): (db, params), org-scoped in every where. A billing group id
// of null is `Unassigned`, whose recipients have no group row.

export type RecipientRow = {
  id: string;
  email: string;
  createdBy: string | null;
  createdAt: Date;
};

/** The recipients of one billing group (null: Unassigned), or the filter that matches them. */
export function recipientsOf(orgId: string, billingGroupId: string | null): SQL {
  return and(
    eq(billingGroupRecipients.orgId, orgId),
    billingGroupId === null
      ? isNull(billingGroupRecipients.billingGroupId)
      : eq(billingGroupRecipients.billingGroupId, billingGroupId),
  )!;
}

export async function listRecipients(
  db: Executor,
  params: { orgId: string; billingGroupId: string | null },
): Promise<RecipientRow[]> {
  return db
    .select({
      id: billingGroupRecipients.id,
      email: billingGroupRecipients.email,
      createdBy: members.name,
      createdAt: billingGroupRecipients.createdAt,
    })
    .from(billingGroupRecipients)
    .leftJoin(
      members,
      and(eq(members.orgId, billingGroupRecipients.orgId), eq(members.id, billingGroupRecipients.createdBy)),
    )
    .where(recipientsOf(params.orgId, params.billingGroupId))
    .orderBy(asc(billingGroupRecipients.emailKey), asc(billingGroupRecipients.id));
}

/** How many recipients the group has, and whether `email` is one of them (in any case). */
export async function recipientCount(
  db: Executor,
  params: { orgId: string; billingGroupId: string | null; email: string },
): Promise<{ count: number; taken: boolean }> {
  const [row] = await db
    .select({
      count: sql<number>`count(*)::int`,
      taken: sql<boolean>`coalesce(bool_or(${billingGroupRecipients.emailKey} = lower(${params.email})), false)`,
    })
    .from(billingGroupRecipients)
    .where(recipientsOf(params.orgId, params.billingGroupId));
  return { count: row?.count ?? 0, taken: row?.taken ?? false };
}

/** A billing group as recipients and statements address it; `id` null is Unassigned (it has no row). */
export type RecipientGroup = { id: string | null; name: string; deleted: boolean };

/**
 * `unassigned` or a billing group id of this org, live or deleted (its recipients and statements
 * stay readable). Anything else — malformed, unknown, another org's — is not found.
 */
export async function resolveRecipientGroup(
  db: Executor,
  params: { orgId: string; billingGroup: string },
): Promise<RecipientGroup> {
  const ref = parseBillingGroupRef(params.billingGroup.trim());
  if (ref === UNASSIGNED_ID) return { id: null, name: UNASSIGNED_LABEL, deleted: false };
  const [group] = ref
    ? await db
        .select({
          id: billingGroups.id,
          name: billingGroups.name,
          deleted: sql<boolean>`${billingGroups.deletedAt} is not null`,
        })
        .from(billingGroups)
        .where(and(eq(billingGroups.orgId, params.orgId), eq(billingGroups.id, ref)))
    : [];
  if (!group) throw new NotFoundError("That billing group");
  return group;
}
