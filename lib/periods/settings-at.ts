import "server-only";
import { and, desc, eq, lte, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { billingGroupPeriodSettings, groupPeriodMemberChanges, memberPeriodSettings } from "@/db/schema";
import { now } from "@/lib/clock";
import { periodOf } from "./rules";

// Issue 18, period-true history: a past period shows members' and billing groups' settings as
// they stood at its end — the latest history row (migration 0017) filed in or before it. The
// current period reads the live columns instead, which equal the latest rows and need no join.

/** The period whose end the settings are read at: `period` when it is past, else none (live values). */
export function settingsAsOf(period: string): string | undefined {
  return period < periodOf(now()) ? period : undefined;
}

/** Every member's billing group, own limit and status at the end of `period` (none for members who did not exist yet). */
export function memberSettingsAt(db: Executor, params: { orgId: string; period: string }) {
  return db
    .selectDistinctOn([memberPeriodSettings.memberId], {
      memberId: memberPeriodSettings.memberId,
      billingGroupId: memberPeriodSettings.billingGroupId,
      personalLimit: memberPeriodSettings.personalLimit,
      deactivated: memberPeriodSettings.deactivated,
    })
    .from(memberPeriodSettings)
    .where(and(eq(memberPeriodSettings.orgId, params.orgId), lte(memberPeriodSettings.period, params.period)))
    .orderBy(memberPeriodSettings.memberId, desc(memberPeriodSettings.period))
    .as("member_settings");
}

/** Every billing group's period limit, default personal limit and deletion at the end of `period`. */
export function billingGroupSettingsAt(db: Executor, params: { orgId: string; period: string }) {
  return db
    .selectDistinctOn([billingGroupPeriodSettings.billingGroupId], {
      billingGroupId: billingGroupPeriodSettings.billingGroupId,
      periodLimit: billingGroupPeriodSettings.periodLimit,
      defaultPersonalLimit: billingGroupPeriodSettings.defaultPersonalLimit,
      deleted: billingGroupPeriodSettings.deleted,
    })
    .from(billingGroupPeriodSettings)
    .where(
      and(eq(billingGroupPeriodSettings.orgId, params.orgId), lte(billingGroupPeriodSettings.period, params.period)),
    )
    .orderBy(billingGroupPeriodSettings.billingGroupId, desc(billingGroupPeriodSettings.period))
    .as("group_settings");
}

/**
 * Each billing group's (null = Unassigned) active members at the end of `period`: the sum of its
 * net changes in periods up to it (migration 0021), so the read is bounded by groups × periods,
 * not by members. Equals counting `memberSettingsAt` rows that are active in the group. Without a
 * period, every change: the live count, now.
 */
export function memberCountsAt(db: Executor, params: { orgId: string; period?: string }) {
  return db
    .select({
      billingGroupId: groupPeriodMemberChanges.billingGroupId,
      count: sql<number>`sum(${groupPeriodMemberChanges.memberCountChange})::int`.as("member_count"),
    })
    .from(groupPeriodMemberChanges)
    .where(
      and(
        eq(groupPeriodMemberChanges.orgId, params.orgId),
        params.period ? lte(groupPeriodMemberChanges.period, params.period) : undefined,
      ),
    )
    .groupBy(groupPeriodMemberChanges.billingGroupId)
    .as("member_counts");
}
