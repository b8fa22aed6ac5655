import "server-only";
import { and, asc, count, desc, eq, inArray, isNull, not, or, sql } from "drizzle-orm";
import type { PgSelect } from "drizzle-orm/pg-core";
import { billingGroupSettingsAt, memberCountsAt, memberSettingsAt } from "@/lib/periods/settings-at";
import type { Executor } from "@/db";
import { isUuid } from "@/lib/ids";
import { MEMBERS_PAGE_SIZE } from "@/lib/limits";
import { matchingMembersAsTable, memberMatches } from "./search";
import {
  billingGroups,
  groupMemberships,
  groupPeriodUsage,
  groups,
  memberGroupPeriodUsage,
  memberPeriodUsage,
  members,
  organizations,
} from "@/db/schema";

export type SignedInMember = {
  id: string;
  orgId: string;
  orgName: string;
  orgCreatedAt: Date;
  name: string;
  email: string;
  role: "admin" | "billing_admin" | "member";
  sessionsValidAfter: Date | null;
};

/** The live (not deactivated) member behind a session, with their org. Null when gone. */
export async function getActiveMemberById(
  db: Executor,
  params: { orgId: string; memberId: string },
): Promise<SignedInMember | null> {
  const rows = await db
    .select({
      id: members.id,
      orgId: members.orgId,
      orgName: organizations.name,
      orgCreatedAt: organizations.createdAt,
      name: members.name,
      email: members.email,
      role: members.role,
      sessionsValidAfter: members.sessionsValidAfter,
    })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.orgId))
    .where(and(eq(members.orgId, params.orgId), eq(members.id, params.memberId), isNull(members.deactivatedAt)))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * Sign-in runs before any org is known, so this is the one lookup by email across orgs, through a
 * narrow SECURITY DEFINER function (row-level security hides every member until the org is set).
 * The partial unique index `members_signin_email_key` guarantees at most one credentialed match.
 */
export async function findSignInCandidate(db: Executor, params: { email: string }) {
  const rows = await db.execute<{
    id: string;
    org_id: string;
    password_hash: string | null;
    deactivated_at: Date | null;
  }>(sql`select id, org_id, password_hash, deactivated_at from ledgerline_sign_in_candidate(${params.email})`);
  const row = rows[0];
  return row
    ? { id: row.id, orgId: row.org_id, passwordHash: row.password_hash, deactivatedAt: row.deactivated_at }
    : null;
}

// ---- Members screen (issue 4) ----

export const MEMBER_SORTS = ["name", "email", "role", "usage", "limit"] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export const MEMBER_STATUSES = ["active", "deactivated", "all"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export type MemberListParams = {
  orgId: string;
  period: string;
  search?: string;
  /** A billing group id, or "unassigned". */
  billingGroup?: string;
  role?: "admin" | "billing_admin" | "member";
  limitNotConfigured?: boolean;
  status?: MemberStatus;
  sort?: MemberSort;
  dir?: "asc" | "desc";
  page?: number;
  pageSize?: number;
  /**
   * A past period: each member's billing group, limit and status as they stood at its end, and only
   * the members that existed then (lib/periods/settings-at.ts); filters apply to those values.
   */
  settingsAsOf?: string;
};

export type MemberListRow = {
  id: string;
  name: string;
  email: string;
  role: "admin" | "billing_admin" | "member";
  billingGroupId: string | null;
  billingGroupName: string | null;
  /** The member's own limit; without one, `billingGroupDefaultPersonalLimit` applies (R42). */
  personalLimit: bigint | null;
  billingGroupDefaultPersonalLimit: bigint | null;
  periodUsage: bigint;
  groupCount: number;
  deactivated: boolean;
};

/**
 * R42: the personal limit that applies to the member row in scope, by the database's own rule: their
 * own, else their billing group's default (a primary-key lookup, so filters and sorts need no join).
 */
export const applyingPersonalLimit = sql`ledgerline_applying_personal_limit(${members.personalLimit},
  (select bg.default_personal_limit from billing_groups bg
    where bg.org_id = ${members.orgId} and bg.id = ${members.billingGroupId}))`;

/**
 * One page of the member list. Indexed offset pagination: the default order (name, id) walks
 * `members_org_name_idx`; filters use the org/billing-group index; usage is a primary-key join on
 * the member × period rollup; group counts are read for the page's rows only.
 */
export async function listMembers(
  db: Executor,
  params: MemberListParams,
): Promise<{ rows: MemberListRow[]; total: number; page: number; pageSize: number }> {
  const pageSize = params.pageSize ?? MEMBERS_PAGE_SIZE;
  const settings = memberListSettings(db, params);
  const conditions = [eq(members.orgId, params.orgId)];
  const status = params.status ?? "active";
  if (status === "active") conditions.push(settings.active);
  if (status === "deactivated") conditions.push(not(settings.active));
  const search = params.search?.trim();
  if (params.billingGroup === "unassigned") conditions.push(isNull(settings.billingGroupId));
  else if (params.billingGroup) conditions.push(eq(settings.billingGroupId, params.billingGroup));
  if (params.role) conditions.push(eq(members.role, params.role));
  if (params.limitNotConfigured) conditions.push(sql`coalesce(${settings.applyingLimit}, 0) = 0`);
  const where = and(...conditions);

  // Active members, at most narrowed to one billing group, are what the kept member counts
  // (migration 0021) hold: summed from at most groups × periods rows instead of counting members.
  const countedByChanges = status === "active" && !search && !params.role && !params.limitNotConfigured;
  const countAll = async () => {
    if (countedByChanges) {
      const counts = memberCountsAt(db, { orgId: params.orgId, period: params.settingsAsOf });
      const [{ total } = { total: 0 }] = await db
        .select({ total: sql<number>`coalesce(sum(${counts.count}), 0)::int` })
        .from(counts)
        .where(
          params.billingGroup === "unassigned"
            ? isNull(counts.billingGroupId)
            : params.billingGroup
              ? eq(counts.billingGroupId, params.billingGroup)
              : undefined,
        );
      return total;
    }
    const [{ total } = { total: 0 }] = await settings
      .join(db.select({ total: count() }).from(members).$dynamic())
      .where(search ? and(where, memberMatches(params.orgId, search)) : where);
    return total;
  };

  // Deferred join: the page's ids come from a narrow query (index order for name and email; the
  // usage rollup joined only when sorting by it), so skipped rows never pay for the joins.
  const usageJoin = and(
    eq(memberPeriodUsage.orgId, members.orgId),
    eq(memberPeriodUsage.memberId, members.id),
    eq(memberPeriodUsage.period, params.period),
  );
  const direction = params.dir === "desc" ? desc : asc;
  const sort = params.sort ?? "name";
  const order = {
    name: [direction(members.name), direction(members.id)],
    // lower(email) is unique per org (members_org_email_key), so it is a total order on its own.
    email: [direction(sql`lower(${members.email})`)],
    role: [direction(members.role), direction(members.name), direction(members.id)],
    usage: [direction(sql`coalesce(${memberPeriodUsage.credits}, 0)`), direction(members.id)],
    limit: [direction(sql`coalesce(${settings.applyingLimit}, -1)`), direction(members.id)],
  }[sort];
  // A search reads every match anyway (to count them, and to sort them), so it counts in the same
  // statement (issue 19: one pass over the matches instead of two). Without one, the page reads
  // only its rows in index order and the count is a separate, index-only statement.
  // A search reads its matches' rows straight from the trigram scan, as `members`.
  const pageOf = async (page: number) => {
    const idQuery = settings.join(
      db
        // As SQL, not the column: drizzle would refuse `members.id` from a source that is not the table.
        .select({
          id: sql<string>`${members.id}`,
          total: search ? sql<number>`count(*) over ()`.mapWith(Number) : sql<null>`null`,
        })
        .from(search ? matchingMembersAsTable(params.orgId, search) : members)
        .$dynamic(),
    );
    const idSource = sort === "usage" ? idQuery.leftJoin(memberPeriodUsage, usageJoin) : idQuery;
    return idSource
      .where(where)
      .orderBy(...order)
      .limit(pageSize)
      .offset((page - 1) * pageSize);
  };
  const requested = Math.max(1, Math.trunc(params.page ?? 1));
  let page = requested;
  let pageRows = search ? await pageOf(page) : [];
  let total = search && pageRows.length > 0 ? pageRows[0]!.total! : search && page === 1 ? 0 : await countAll();
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  page = Math.min(requested, lastPage);
  if (!search || page !== requested) {
    pageRows = await pageOf(page);
    if (search) total = pageRows[0]?.total ?? 0;
  }
  const pageIds = pageRows.map((r) => r.id);

  const details =
    pageIds.length === 0
      ? []
      : await settings
          .join(
            db
              .select({
                id: members.id,
                name: members.name,
                email: members.email,
                role: members.role,
                billingGroupId: settings.billingGroupId,
                billingGroupName: billingGroups.name,
                personalLimit: settings.personalLimit,
                billingGroupDefaultPersonalLimit: settings.defaultPersonalLimit,
                periodUsage: sql<bigint>`coalesce(${memberPeriodUsage.credits}, 0)`.mapWith(BigInt),
                deactivated: sql<boolean>`not ${settings.active}`,
              })
              .from(members)
              .$dynamic(),
          )
          .leftJoin(
            billingGroups,
            and(eq(billingGroups.orgId, members.orgId), eq(billingGroups.id, settings.billingGroupId)),
          )
          .leftJoin(memberPeriodUsage, usageJoin)
          .where(and(eq(members.orgId, params.orgId), inArray(members.id, pageIds)));
  const byId = new Map(details.map((row) => [row.id, row]));
  const rows = pageIds.map((id) => byId.get(id)).filter((row) => row !== undefined);

  const counts = await groupCountsFor(
    db,
    params.orgId,
    rows.map((r) => r.id),
  );
  return {
    rows: rows.map((row) => ({ ...row, groupCount: counts.get(row.id) ?? 0 })),
    total,
    page,
    pageSize,
  };
}

/**
 * The list's view of each member's billing group, own limit, applying limit and status: the live
 * columns now; for a past period the settings at its end, joined (inner: members created later
 * are not in that period's list) by `join`, which every query of the list goes through.
 */
function memberListSettings(db: Executor, params: Pick<MemberListParams, "orgId" | "settingsAsOf">) {
  if (!params.settingsAsOf) {
    return {
      billingGroupId: members.billingGroupId,
      personalLimit: members.personalLimit,
      // The list's details query joins the member's billing group.
      defaultPersonalLimit: billingGroups.defaultPersonalLimit,
      applyingLimit: applyingPersonalLimit,
      active: isNull(members.deactivatedAt),
      join: <Q extends PgSelect>(query: Q) => query,
    };
  }
  const period = params.settingsAsOf;
  const memberAt = memberSettingsAt(db, { orgId: params.orgId, period });
  const groupAt = billingGroupSettingsAt(db, { orgId: params.orgId, period });
  return {
    billingGroupId: memberAt.billingGroupId,
    personalLimit: memberAt.personalLimit,
    defaultPersonalLimit: groupAt.defaultPersonalLimit,
    applyingLimit: sql`ledgerline_applying_personal_limit(${memberAt.personalLimit}, ${groupAt.defaultPersonalLimit})`,
    active: eq(memberAt.deactivated, false),
    join: <Q extends PgSelect>(query: Q) =>
      query
        .innerJoin(memberAt, eq(memberAt.memberId, members.id))
        .leftJoin(groupAt, eq(groupAt.billingGroupId, memberAt.billingGroupId)) as unknown as Q,
  };
}

async function groupCountsFor(db: Executor, orgId: string, memberIds: string[]) {
  const counts = new Map<string, number>();
  if (memberIds.length === 0) return counts;
  const rows = await db
    .select({ memberId: groupMemberships.memberId, n: count() })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.orgId, orgId), inArray(groupMemberships.memberId, memberIds)))
    .groupBy(groupMemberships.memberId);
  for (const row of rows) counts.set(row.memberId, row.n);
  return counts;
}

/** The billing group picker: live groups only (R13), by name. */
export type MemberDetails = NonNullable<Awaited<ReturnType<typeof getMemberDetails>>>;

/** Member details: profile, usage vs limit for the period, the group's headroom, groups, usage by period. */
export async function getMemberDetails(
  db: Executor,
  params: { orgId: string; memberId: string; period: string; settingsAsOf?: string },
) {
  const [live] = await db
    .select({
      id: members.id,
      name: members.name,
      email: members.email,
      role: members.role,
      personalLimit: members.personalLimit,
      billingGroupId: members.billingGroupId,
      billingGroupName: billingGroups.name,
      billingGroupLimit: billingGroups.periodLimit,
      billingGroupDefaultPersonalLimit: billingGroups.defaultPersonalLimit,
      deactivatedAt: members.deactivatedAt,
      createdAt: members.createdAt,
    })
    .from(members)
    .leftJoin(billingGroups, and(eq(billingGroups.orgId, members.orgId), eq(billingGroups.id, members.billingGroupId)))
    .where(and(eq(members.orgId, params.orgId), eq(members.id, params.memberId)))
    .limit(1);
  if (!live) return null;
  const member = params.settingsAsOf
    ? { ...live, ...(await memberLimitsAt(db, { ...params, period: params.settingsAsOf })) }
    : live;

  const [usageRow] = await db
    .select({ credits: memberPeriodUsage.credits })
    .from(memberPeriodUsage)
    .where(
      and(
        eq(memberPeriodUsage.orgId, params.orgId),
        eq(memberPeriodUsage.memberId, params.memberId),
        eq(memberPeriodUsage.period, params.period),
      ),
    );

  const [groupUsageRow] = await db
    .select({ credits: groupPeriodUsage.credits })
    .from(groupPeriodUsage)
    .where(
      and(
        eq(groupPeriodUsage.orgId, params.orgId),
        eq(groupPeriodUsage.period, params.period),
        member.billingGroupId
          ? eq(groupPeriodUsage.billingGroupId, member.billingGroupId)
          : isNull(groupPeriodUsage.billingGroupId),
      ),
    );

  const memberGroups = await db
    .select({ id: groups.id, name: groups.name })
    .from(groupMemberships)
    .innerJoin(groups, and(eq(groups.orgId, groupMemberships.orgId), eq(groups.id, groupMemberships.groupId)))
    .where(and(eq(groupMemberships.orgId, params.orgId), eq(groupMemberships.memberId, params.memberId)))
    .orderBy(sql`lower(${groups.name})`);

  // Usage records by period, each attributed to the billing group of its time (R21).
  const usageByPeriod = await db
    .select({
      period: memberGroupPeriodUsage.period,
      billingGroupName: billingGroups.name,
      billingGroupDeleted: sql<boolean>`${billingGroups.deletedAt} is not null`,
      credits: memberGroupPeriodUsage.credits,
      eventCount: memberGroupPeriodUsage.eventCount,
    })
    .from(memberGroupPeriodUsage)
    .leftJoin(
      billingGroups,
      and(
        eq(billingGroups.orgId, memberGroupPeriodUsage.orgId),
        eq(billingGroups.id, memberGroupPeriodUsage.billingGroupId),
      ),
    )
    .where(and(eq(memberGroupPeriodUsage.orgId, params.orgId), eq(memberGroupPeriodUsage.memberId, params.memberId)))
    .orderBy(desc(memberGroupPeriodUsage.period), sql`lower(coalesce(${billingGroups.name}, 'zzzz'))`);

  return {
    ...member,
    periodUsage: usageRow?.credits ?? 0n,
    billingGroupPeriodUsage: groupUsageRow?.credits ?? 0n,
    groups: memberGroups,
    usageByPeriod,
  };
}

/**
 * A member's billing group and limits at the end of a past period (the settings history): their
 * group then, its limit and default then, their own limit then. Before the member existed: none.
 */
async function memberLimitsAt(db: Executor, params: { orgId: string; memberId: string; period: string }) {
  const memberAt = memberSettingsAt(db, { orgId: params.orgId, period: params.period });
  const groupAt = billingGroupSettingsAt(db, { orgId: params.orgId, period: params.period });
  const [row] = await db
    .select({
      personalLimit: memberAt.personalLimit,
      billingGroupId: memberAt.billingGroupId,
      billingGroupName: billingGroups.name,
      billingGroupLimit: groupAt.periodLimit,
      billingGroupDefaultPersonalLimit: groupAt.defaultPersonalLimit,
    })
    .from(memberAt)
    .leftJoin(groupAt, eq(groupAt.billingGroupId, memberAt.billingGroupId))
    .leftJoin(billingGroups, and(eq(billingGroups.orgId, params.orgId), eq(billingGroups.id, memberAt.billingGroupId)))
    .where(eq(memberAt.memberId, params.memberId));
  return (
    row ?? {
      personalLimit: null,
      billingGroupId: null,
      billingGroupName: null,
      billingGroupLimit: null,
      billingGroupDefaultPersonalLimit: null,
    }
  );
}

/**
 * R44: the active members named by email (case-insensitive) or id, in one query. The map is keyed
 * by the reference as given (trimmed); a reference missing from it names no active member.
 */
export async function findActiveMembersByReference(
  db: Executor,
  params: { orgId: string; references: readonly string[] },
): Promise<Map<string, { id: string; email: string }>> {
  // `isUuid` narrows to string, which would leave "not a UUID" as `never`: compare as booleans.
  const byIdRef = (ref: string): boolean => isUuid(ref);
  const ids = params.references.filter(byIdRef).map((id) => id.toLowerCase());
  const emails = params.references.filter((ref) => !byIdRef(ref)).map((email) => email.toLowerCase());
  const rows = await db
    .select({ id: members.id, email: members.email })
    .from(members)
    .where(
      and(
        eq(members.orgId, params.orgId),
        isNull(members.deactivatedAt),
        or(
          ids.length > 0 ? inArray(members.id, ids) : undefined,
          emails.length > 0 ? inArray(sql`lower(${members.email})`, emails) : undefined,
          sql`false`,
        ),
      ),
    );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const byEmail = new Map(rows.map((row) => [row.email.toLowerCase(), row]));
  const found = new Map<string, { id: string; email: string }>();
  for (const ref of params.references) {
    const row = byIdRef(ref) ? byId.get(ref.toLowerCase()) : byEmail.get(ref.toLowerCase());
    if (row) found.set(ref, row);
  }
  return found;
}
