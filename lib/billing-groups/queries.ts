import "server-only";
import { and, asc, desc, eq, exists, ilike, isNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db";
import { likePattern } from "@/lib/text";
import {
  billingGroupPeriodSettings,
  billingGroups,
  billingGroupViewers,
  groupPeriodUsage,
  memberGroupPeriodUsage,
  memberPeriodUsage,
  members,
  usageEvents,
} from "@/db/schema";
import type { ListSort } from "./rules";
import { DETAILS_LIST_LIMIT, MEMBER_SEARCH_LIMIT, RECENT_EVENTS_LIMIT } from "@/lib/limits";
import { memberMatches } from "@/lib/members/search";
import { billingGroupSettingsAt, memberCountsAt } from "@/lib/periods/settings-at";

// Reads for the Billing Groups screen: (db, params), org-scoped in every where, DTOs out.
// The list reads only rollups and indexed counts, never usage_events (R14, "fast at 300 × 50,000").

export type BillingGroupRow = {
  id: string;
  name: string;
  description: string;
  members: number;
  periodUsage: bigint;
  periodLimit: bigint | null;
  /** R42: for members without a personal limit of their own; null = none. */
  defaultPersonalLimit: bigint | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  deleted: boolean;
};

export type UnassignedRow = { members: number; periodUsage: bigint };

export type BillingGroupsList = {
  unassigned: UnassignedRow;
  groups: BillingGroupRow[];
  /** Every row the filters admit, counted in SQL; `groups` holds the requested page of them. */
  total: number;
};

export type BillingGroupsListParams = {
  orgId: string;
  period: string;
  includeDeletedWithUsage: boolean;
  sort: ListSort;
  /**
   * R3, R33: a billing group viewer's member id. Set, the rows are only the groups granted to that
   * member (a join in SQL, so no other group is ever read) and Unassigned is not read at all.
   */
  viewerId?: string | null;
  /** A page of the sorted rows (LIMIT/OFFSET); absent = every row. */
  page?: { limit: number; offset: number };
  /** R46: only groups whose name or description contains this text (case-insensitive); empty = all. */
  search?: string;
  /** A past period: member counts and limits as they stood at its end (lib/periods/settings-at.ts). */
  settingsAsOf?: string;
};

const creators = alias(members, "creators");

/** The Billing Groups list (R14): filtered by viewer grants, sorted and paginated in SQL, total from SQL. */
export async function getBillingGroupsForPeriod(
  db: Executor,
  params: BillingGroupsListParams,
): Promise<BillingGroupsList> {
  const asOf = params.settingsAsOf;
  const groupSettings = asOf ? billingGroupSettingsAt(db, { orgId: params.orgId, period: asOf }) : null;
  // Members per group at the end of a past period, or now, from the kept changes (migration 0021):
  // at most groups × periods rows, however many members the org has.
  const memberCounts = memberCountsAt(db, { orgId: params.orgId, period: asOf });
  const usage = db
    .select({ billingGroupId: groupPeriodUsage.billingGroupId, credits: groupPeriodUsage.credits })
    .from(groupPeriodUsage)
    .where(and(eq(groupPeriodUsage.orgId, params.orgId), eq(groupPeriodUsage.period, params.period)))
    .as("usage");

  const memberCount = sql<number>`coalesce(${memberCounts.count}, 0)`.mapWith(Number);
  const periodUsage = sql<bigint>`coalesce(${usage.credits}, 0)`.mapWith(BigInt);
  // A deleted group still appears in the historical periods it has usage in (R13).
  const visible: SQL | undefined = params.includeDeletedWithUsage
    ? or(isNull(billingGroups.deletedAt), sql`${usage.credits} is not null`)
    : isNull(billingGroups.deletedAt);
  const direction = params.sort.direction === "asc" ? asc : desc;
  const order = {
    name: [direction(sql`lower(${billingGroups.name})`)],
    usage: [direction(periodUsage), asc(sql`lower(${billingGroups.name})`)],
    members: [direction(memberCount), asc(sql`lower(${billingGroups.name})`)],
  }[params.sort.key];

  const grantedToViewer = params.viewerId
    ? exists(
        db
          .select({ one: sql`1` })
          .from(billingGroupViewers)
          .where(
            and(
              eq(billingGroupViewers.orgId, billingGroups.orgId),
              eq(billingGroupViewers.billingGroupId, billingGroups.id),
              eq(billingGroupViewers.memberId, params.viewerId),
            ),
          ),
      )
    : undefined;
  const matching = params.search
    ? or(
        ilike(billingGroups.name, likePattern(params.search)),
        ilike(billingGroups.description, likePattern(params.search)),
      )
    : undefined;
  // A past period lists the groups that existed by its end (or had usage in it), not later ones.
  const existed = groupSettings
    ? or(sql`${groupSettings.billingGroupId} is not null`, sql`${usage.credits} is not null`)
    : undefined;
  const where = and(eq(billingGroups.orgId, params.orgId), visible, existed, grantedToViewer, matching);

  const rowsQuery = db
    .select({
      id: billingGroups.id,
      name: billingGroups.name,
      description: billingGroups.description,
      members: memberCount,
      periodUsage,
      periodLimit: groupSettings ? groupSettings.periodLimit : billingGroups.periodLimit,
      defaultPersonalLimit: groupSettings ? groupSettings.defaultPersonalLimit : billingGroups.defaultPersonalLimit,
      createdBy: creators.name,
      createdAt: billingGroups.createdAt,
      updatedAt: billingGroups.updatedAt,
      version: billingGroups.version,
      deletedAt: billingGroups.deletedAt,
    })
    .from(billingGroups)
    .leftJoin(memberCounts, eq(memberCounts.billingGroupId, billingGroups.id))
    .leftJoin(usage, eq(usage.billingGroupId, billingGroups.id))
    .leftJoin(creators, and(eq(creators.orgId, billingGroups.orgId), eq(creators.id, billingGroups.createdBy)))
    .$dynamic();
  const withSettings = groupSettings
    ? rowsQuery.leftJoin(groupSettings, eq(groupSettings.billingGroupId, billingGroups.id))
    : rowsQuery;
  const ordered = withSettings.where(where).orderBy(...order, asc(billingGroups.id));
  const rows = await (params.page ? ordered.limit(params.page.limit).offset(params.page.offset) : ordered);
  const countQuery = db
    .select({ total: sql<number>`count(*)::int` })
    .from(billingGroups)
    .leftJoin(usage, eq(usage.billingGroupId, billingGroups.id))
    .$dynamic();
  const [counted] = await (groupSettings
    ? countQuery.leftJoin(groupSettings, eq(groupSettings.billingGroupId, billingGroups.id))
    : countQuery
  ).where(where);

  const groups = rows.map(({ deletedAt, ...row }) => ({ ...row, deleted: deletedAt !== null }));
  const total = counted?.total ?? 0;
  if (params.viewerId) return { unassigned: { members: 0, periodUsage: 0n }, groups, total };
  const [unassignedMembers] = await db
    .select({ count: memberCounts.count })
    .from(memberCounts)
    .where(isNull(memberCounts.billingGroupId));
  const [unassignedUsage] = await db
    .select({ credits: groupPeriodUsage.credits })
    .from(groupPeriodUsage)
    .where(
      and(
        eq(groupPeriodUsage.orgId, params.orgId),
        eq(groupPeriodUsage.period, params.period),
        isNull(groupPeriodUsage.billingGroupId),
      ),
    );

  return {
    unassigned: { members: unassignedMembers?.count ?? 0, periodUsage: unassignedUsage?.credits ?? 0n },
    groups,
    total,
  };
}

/** Live groups for the `Billing Group` pickers (deleted groups never appear, R13). */
export async function getLiveBillingGroupOptions(db: Executor, params: { orgId: string }) {
  return db
    .select({ id: billingGroups.id, name: billingGroups.name })
    .from(billingGroups)
    .where(and(eq(billingGroups.orgId, params.orgId), isNull(billingGroups.deletedAt)))
    .orderBy(sql`lower(${billingGroups.name})`);
}

export type MemberSearchResult = { id: string; name: string; email: string; billingGroup: string | null };

/**
 * Active members for Handle (scope "unassigned") or a group's Add Members (everyone not in that
 * group), filtered by name or email. Capped; the search box narrows large orgs.
 */
export async function searchMembersForAssignment(
  db: Executor,
  params: { orgId: string; q: string; scope: "unassigned" | "all" | string },
): Promise<{ members: MemberSearchResult[]; more: boolean }> {
  const scope =
    params.scope === "unassigned"
      ? isNull(members.billingGroupId)
      : params.scope === "all"
        ? undefined
        : or(isNull(members.billingGroupId), ne(members.billingGroupId, params.scope));
  const rows = await db
    .select({ id: members.id, name: members.name, email: members.email, billingGroup: billingGroups.name })
    .from(members)
    .leftJoin(billingGroups, and(eq(billingGroups.orgId, members.orgId), eq(billingGroups.id, members.billingGroupId)))
    .where(
      and(
        eq(members.orgId, params.orgId),
        isNull(members.deactivatedAt),
        scope,
        params.q ? memberMatches(params.orgId, params.q) : undefined,
      ),
    )
    .orderBy(members.name, members.id)
    .limit(MEMBER_SEARCH_LIMIT + 1);
  return { members: rows.slice(0, MEMBER_SEARCH_LIMIT), more: rows.length > MEMBER_SEARCH_LIMIT };
}

export type BillingGroupDetails = {
  group: {
    id: string;
    name: string;
    description: string;
    periodLimit: bigint | null;
    /** R42: for members without a personal limit of their own; null = none. */
    defaultPersonalLimit: bigint | null;
    /** R40: percents of the limit, ascending. */
    alertThresholds: number[];
    deleted: boolean;
    version: number;
  };
  periodUsage: bigint;
  /** Current period only (R15). `personalLimit` is the member's own; the group's default applies without one (R42). */
  members: { id: string; name: string; email: string; personalUsage: bigint; personalLimit: bigint | null }[];
  /** Usage attributed to this group in the period, per member — including members who left (R15, R21). */
  usageByMember: { memberId: string; name: string; email: string; credits: bigint; events: number }[];
  /** All current members; `members` holds the first DETAILS_LIST_LIMIT of them by name. */
  memberCount: number;
  /** All members with usage in the period; `usageByMember` holds the top DETAILS_LIST_LIMIT by Credits. */
  usageMemberCount: number;
  recentEvents: { id: string; name: string; email: string; credits: bigint; recordedAt: Date }[];
};

/**
 * A drawer shows a bounded slice of a large group (issue 8: the largest group of a 50,000-member
 * org has thousands of members): the first rows plus the counts; the Members screen filtered by
 * the group pages through all of them, and the CSV bill lists every member with usage.
 */
export { DETAILS_LIST_LIMIT } from "@/lib/limits";

export async function getBillingGroupDetails(
  db: Executor,
  params: { orgId: string; billingGroupId: string; period: string; includeMembers: boolean; settingsAsOf?: string },
): Promise<BillingGroupDetails | null> {
  const [group] = await db
    .select({
      id: billingGroups.id,
      name: billingGroups.name,
      description: billingGroups.description,
      periodLimit: billingGroups.periodLimit,
      defaultPersonalLimit: billingGroups.defaultPersonalLimit,
      alertThresholds: billingGroups.alertThresholds,
      deletedAt: billingGroups.deletedAt,
      version: billingGroups.version,
    })
    .from(billingGroups)
    .where(and(eq(billingGroups.orgId, params.orgId), eq(billingGroups.id, params.billingGroupId)));
  if (!group) return null;

  const [usage] = await db
    .select({ credits: groupPeriodUsage.credits })
    .from(groupPeriodUsage)
    .where(
      and(
        eq(groupPeriodUsage.orgId, params.orgId),
        eq(groupPeriodUsage.period, params.period),
        eq(groupPeriodUsage.billingGroupId, params.billingGroupId),
      ),
    );

  const currentMembersOf = and(
    eq(members.orgId, params.orgId),
    eq(members.billingGroupId, params.billingGroupId),
    isNull(members.deactivatedAt),
  );
  const currentMembers = params.includeMembers
    ? await db
        .select({
          id: members.id,
          name: members.name,
          email: members.email,
          personalUsage: sql<bigint>`coalesce(${memberPeriodUsage.credits}, 0)`.mapWith(BigInt),
          personalLimit: members.personalLimit,
        })
        .from(members)
        .leftJoin(
          memberPeriodUsage,
          and(
            eq(memberPeriodUsage.orgId, members.orgId),
            eq(memberPeriodUsage.memberId, members.id),
            eq(memberPeriodUsage.period, params.period),
          ),
        )
        .where(currentMembersOf)
        .orderBy(members.name, members.id)
        .limit(DETAILS_LIST_LIMIT)
    : [];
  const [memberTotal] = params.includeMembers
    ? await db.select({ count: sql<number>`count(*)::int` }).from(members).where(currentMembersOf)
    : [{ count: 0 }];

  const inGroupPeriod = and(
    eq(memberGroupPeriodUsage.orgId, params.orgId),
    eq(memberGroupPeriodUsage.period, params.period),
    eq(memberGroupPeriodUsage.billingGroupId, params.billingGroupId),
  );
  // The top rows are picked from the rollup alone (its key index finds the group's rows), and
  // only those are joined to members, rather than joining every member of a large group first.
  const top = db
    .select({
      memberId: memberGroupPeriodUsage.memberId,
      credits: memberGroupPeriodUsage.credits,
      events: memberGroupPeriodUsage.eventCount,
    })
    .from(memberGroupPeriodUsage)
    .where(inGroupPeriod)
    .orderBy(desc(memberGroupPeriodUsage.credits), memberGroupPeriodUsage.memberId)
    .limit(DETAILS_LIST_LIMIT)
    .as("top");
  const usageByMember = await db
    .select({
      memberId: members.id,
      name: members.name,
      email: members.email,
      credits: top.credits,
      events: top.events,
    })
    .from(top)
    .innerJoin(members, and(eq(members.orgId, params.orgId), eq(members.id, top.memberId)))
    .orderBy(desc(top.credits), members.name, members.id);
  const [usageTotal] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(memberGroupPeriodUsage)
    .where(inGroupPeriod);

  // Uses usage_events_group_period_idx: one group's newest events in one period, bounded.
  const recentEvents = await db
    .select({
      id: usageEvents.id,
      name: members.name,
      email: members.email,
      credits: usageEvents.credits,
      recordedAt: usageEvents.recordedAt,
    })
    .from(usageEvents)
    .innerJoin(members, and(eq(members.orgId, usageEvents.orgId), eq(members.id, usageEvents.memberId)))
    .where(
      and(
        eq(usageEvents.orgId, params.orgId),
        eq(usageEvents.period, params.period),
        eq(usageEvents.billingGroupId, params.billingGroupId),
      ),
    )
    .orderBy(desc(usageEvents.recordedAt))
    .limit(RECENT_EVENTS_LIMIT);

  const { deletedAt, ...rest } = group;
  const limits = params.settingsAsOf
    ? await billingGroupLimitsAt(db, { ...params, period: params.settingsAsOf })
    : null;
  return {
    group: { ...rest, ...limits, deleted: deletedAt !== null },
    periodUsage: usage?.credits ?? 0n,
    members: currentMembers,
    usageByMember,
    recentEvents,
    memberCount: memberTotal?.count ?? 0,
    usageMemberCount: usageTotal?.count ?? 0,
  };
}

/** One group's limits at the end of a past period; none recorded (it did not exist yet) = no limits. */
async function billingGroupLimitsAt(db: Executor, params: { orgId: string; billingGroupId: string; period: string }) {
  const [row] = await db
    .select({
      periodLimit: billingGroupPeriodSettings.periodLimit,
      defaultPersonalLimit: billingGroupPeriodSettings.defaultPersonalLimit,
    })
    .from(billingGroupPeriodSettings)
    .where(
      and(
        eq(billingGroupPeriodSettings.orgId, params.orgId),
        eq(billingGroupPeriodSettings.billingGroupId, params.billingGroupId),
        lte(billingGroupPeriodSettings.period, params.period),
      ),
    )
    .orderBy(desc(billingGroupPeriodSettings.period))
    .limit(1);
  return row ?? { periodLimit: null, defaultPersonalLimit: null };
}

/** Whether the org has this billing group, live or deleted (a deleted group keeps its history, R13). */
export async function billingGroupExists(db: Executor, params: { orgId: string; billingGroupId: string }) {
  const [row] = await db
    .select({ id: billingGroups.id })
    .from(billingGroups)
    .where(and(eq(billingGroups.orgId, params.orgId), eq(billingGroups.id, params.billingGroupId)));
  return row !== undefined;
}
