import "server-only";
import { and, count, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { billingGroups, groupPeriodUsage, members, organizations } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { applyingPersonalLimit } from "@/lib/members/queries";

export type OrganizationOverview = {
  activeMembers: number;
  unassignedMembers: number;
  membersWithoutLimit: number;
  liveBillingGroups: number;
  periodUsage: bigint;
};

/** Headline figures for the overview page, all from indexed counts and the per-period rollup. */
export async function getOrganizationOverview(
  db: Executor,
  params: { orgId: string; period: string },
): Promise<OrganizationOverview> {
  const [memberCounts] = await db
    .select({
      active: count(),
      unassigned: sql<number>`count(*) filter (where ${members.billingGroupId} is null)`.mapWith(Number),
      // R18, R42: no personal limit applies (none of their own, no billing group default) or it is 0.
      withoutLimit: sql<number>`count(*) filter (where coalesce(${applyingPersonalLimit}, 0) = 0)`.mapWith(Number),
    })
    .from(members)
    .where(and(eq(members.orgId, params.orgId), isNull(members.deactivatedAt)));
  const [groupCount] = await db
    .select({ live: count() })
    .from(billingGroups)
    .where(and(eq(billingGroups.orgId, params.orgId), isNull(billingGroups.deletedAt)));
  const [usage] = await db
    .select({ total: sql<bigint>`coalesce(sum(${groupPeriodUsage.credits}), 0)`.mapWith(BigInt) })
    .from(groupPeriodUsage)
    .where(and(eq(groupPeriodUsage.orgId, params.orgId), eq(groupPeriodUsage.period, params.period)));
  return {
    activeMembers: memberCounts?.active ?? 0,
    unassignedMembers: memberCounts?.unassigned ?? 0,
    membersWithoutLimit: memberCounts?.withoutLimit ?? 0,
    liveBillingGroups: groupCount?.live ?? 0,
    periodUsage: usage?.total ?? 0n,
  };
}

/** When the org was created: the first period it has (R16). */
export async function getOrganizationCreatedAt(db: Executor, params: { orgId: string }): Promise<Date> {
  const [org] = await db
    .select({ createdAt: organizations.createdAt })
    .from(organizations)
    .where(eq(organizations.id, params.orgId));
  if (!org) throw new NotFoundError("The organization");
  return org.createdAt;
}
