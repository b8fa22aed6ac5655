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
