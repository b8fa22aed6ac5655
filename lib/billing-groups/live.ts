import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db";
import { type BillingGroup, billingGroups } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";

/**
 * The one "load a live billing group" of every write (R13: a deleted group takes no changes, no
 * members and no viewers). `lock` takes the row lock the caller's race needs (R38): `share` for an
 * assignment, `no key update` for a delete. A missing or deleted group is NotFound.
 */
export async function loadLiveBillingGroup(
  db: Executor,
  params: { orgId: string; id: string; lock?: "share" | "no key update" },
): Promise<BillingGroup> {
  const query = db
    .select()
    .from(billingGroups)
    .where(and(eq(billingGroups.orgId, params.orgId), eq(billingGroups.id, params.id), isNull(billingGroups.deletedAt)))
    .$dynamic();
  const [group] = await (params.lock ? query.for(params.lock) : query);
  if (!group) throw new NotFoundError("That billing group");
  return group;
}
