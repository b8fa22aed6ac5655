import { sql, type SQL } from "drizzle-orm";
import { members } from "@/db/schema";
import { likePattern } from "@/lib/text";

// One member search for every screen that has one (Members list, Handle / Add Members pickers):
// name or email contains the text, case-insensitively (R2).

/**
 * Members of `orgId` whose name or email contains `search`. Matching runs in
 * `ledgerline_members_matching` (migration 0006) so it can use the trigram indexes, which row-level
 * security keeps ILIKE in an ordinary query from using.
 */
export function memberMatches(orgId: string, search: string): SQL {
  return sql`${members.id} in (select ledgerline_members_matching(${orgId}::uuid, ${likePattern(search)}))`;
}

/**
 * The Members list's source when it searches (issue 19): the matching members' whole rows from
 * `ledgerline_members_matching_rows` (migration 0022), named `members`, so the list's own filters,
 * count and sort read them as they come from the trigram scan instead of looking each match up
 * again by id. Same guard and matching as `memberMatches`.
 */
export function matchingMembersAsTable(orgId: string, search: string): SQL {
  return sql`ledgerline_members_matching_rows(${orgId}::uuid, ${likePattern(search)}) as ${members}`;
}
