import "server-only";
import { and, asc, count, eq, ilike, isNull, notExists, or, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { groupMemberships, groups, members } from "@/db/schema";
import { GROUP_CANDIDATES_LIMIT, GROUP_MEMBERS_SHOWN } from "@/lib/limits";
import { memberMatches } from "@/lib/members/search";
import { likePattern } from "@/lib/text";

export type GroupListRow = { id: string; name: string; description: string; memberCount: number; createdAt: Date };

export type GroupsPage = { rows: GroupListRow[]; total: number };

/**
 * The Groups list (R5, R46): name, description, member count, created — filtered by `search`
 * (name or description contains it) and one page of it by name, all in SQL. Members are counted
 * for the page's groups only, so a page costs the same in an org with 1,000 groups.
 */
export async function listGroups(
  db: Executor,
  params: { orgId: string; search: string; page: { limit: number; offset: number } },
): Promise<GroupsPage> {
  const where = and(
    eq(groups.orgId, params.orgId),
    params.search
      ? or(ilike(groups.name, likePattern(params.search)), ilike(groups.description, likePattern(params.search)))
      : undefined,
  );
  const rows = await db
    .select({
      id: groups.id,
      name: groups.name,
      description: groups.description,
      memberCount: sql<number>`(
        select count(*) from ${groupMemberships}
        where ${groupMemberships.orgId} = ${groups.orgId} and ${groupMemberships.groupId} = ${groups.id}
      )`.mapWith(Number),
      createdAt: groups.createdAt,
    })
    .from(groups)
    .where(where)
    .orderBy(sql`lower(${groups.name})`, asc(groups.id))
    .limit(params.page.limit)
    .offset(params.page.offset);
  const [counted] = await db.select({ total: count() }).from(groups).where(where);
  return { rows, total: counted?.total ?? 0 };
}

/** Details show at most this many members (a group may hold thousands); the total is always given. */

export async function getGroupWithMembers(db: Executor, params: { orgId: string; groupId: string }) {
  const [group] = await db
    .select({
      id: groups.id,
      name: groups.name,
      description: groups.description,
      createdAt: groups.createdAt,
      updatedAt: groups.updatedAt,
    })
    .from(groups)
    .where(and(eq(groups.orgId, params.orgId), eq(groups.id, params.groupId)));
  if (!group) return null;
  const groupMembers = await db
    .select({ id: members.id, name: members.name, email: members.email, addedAt: groupMemberships.addedAt })
    .from(groupMemberships)
    .innerJoin(members, and(eq(members.orgId, groupMemberships.orgId), eq(members.id, groupMemberships.memberId)))
    .where(and(eq(groupMemberships.orgId, params.orgId), eq(groupMemberships.groupId, params.groupId)))
    .orderBy(asc(members.name), asc(members.id))
    .limit(GROUP_MEMBERS_SHOWN);
  const [{ total } = { total: 0 }] = await db
    .select({ total: count() })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.orgId, params.orgId), eq(groupMemberships.groupId, params.groupId)));
  return { ...group, members: groupMembers, memberCount: total };
}

/** The `Add Members` picker: active org members not yet in the group, matching the search. */
export async function searchGroupCandidates(
  db: Executor,
  params: { orgId: string; groupId: string; search: string; limit?: number },
) {
  const search = params.search.trim();
  return db
    .select({ id: members.id, name: members.name, email: members.email })
    .from(members)
    .where(
      and(
        eq(members.orgId, params.orgId),
        isNull(members.deactivatedAt),
        search ? memberMatches(params.orgId, search) : undefined,
        notExists(
          db
            .select({ one: sql`1` })
            .from(groupMemberships)
            .where(
              and(
                eq(groupMemberships.orgId, members.orgId),
                eq(groupMemberships.groupId, params.groupId),
                eq(groupMemberships.memberId, members.id),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(members.name), asc(members.id))
    .limit(params.limit ?? GROUP_CANDIDATES_LIMIT);
}
