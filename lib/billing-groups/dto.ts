// Serializable shapes sent to client components: Credits as display strings, dates as text.
import { formatCredits } from "@/lib/credits/rules";
import { personalLimitView, type PersonalLimitView } from "@/lib/usage/rules";
import type { BillingGroupDetails, BillingGroupsList, MemberSearchResult } from "./queries";
import { formatTimestamp, isOverLimit, usagePercent } from "./rules";

export type BillingGroupRowDto = {
  id: string;
  name: string;
  description: string;
  members: number;
  periodUsage: string;
  periodLimit: string | null;
  /** R42: the Edit form's `Default Personal Limit`; null = none. */
  defaultPersonalLimit: string | null;
  overLimit: boolean;
  /** Usage as a percent of the limit, capped at 100 (the list's bar); null without a limit. */
  usagePercent: number | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  deleted: boolean;
};

export type BillingGroupsListDto = {
  unassigned: { members: number; periodUsage: string };
  groups: BillingGroupRowDto[];
};

const creditsOrNull = (value: bigint | null) => (value === null ? null : formatCredits(value));

export function toListDto(list: BillingGroupsList): BillingGroupsListDto {
  return {
    unassigned: { members: list.unassigned.members, periodUsage: formatCredits(list.unassigned.periodUsage) },
    groups: list.groups.map((g) => ({
      id: g.id,
      name: g.name,
      description: g.description,
      members: g.members,
      periodUsage: formatCredits(g.periodUsage),
      periodLimit: creditsOrNull(g.periodLimit),
      defaultPersonalLimit: creditsOrNull(g.defaultPersonalLimit),
      overLimit: isOverLimit(g.periodUsage, g.periodLimit),
      usagePercent: usagePercent(g.periodUsage, g.periodLimit),
      createdBy: g.createdBy ?? "—",
      createdAt: formatTimestamp(g.createdAt),
      updatedAt: formatTimestamp(g.updatedAt),
      version: g.version,
      deleted: g.deleted,
    })),
  };
}

export type MemberSearchDto = { members: MemberSearchResult[]; more: boolean };

/** R33: one row of the Permissions tab. */
export type BillingGroupViewerDto = {
  memberId: string;
  name: string;
  email: string;
  grantedBy: string | null;
  grantedAt: string;
};

export type BillingGroupDetailsDto = {
  period: string;
  isHistorical: boolean;
  group: {
    id: string;
    name: string;
    description: string;
    deleted: boolean;
    version: number;
    periodLimit: string | null;
    /** R42: for members without a personal limit of their own; null = none. */
    defaultPersonalLimit: string | null;
    /** R40: the Alerts tab's thresholds, percents of the limit, ascending. */
    alertThresholds: number[];
  };
  periodUsage: string;
  usagePercent: number | null;
  overLimit: boolean;
  /** `personalLimit`: the limit that applies, the member's own or the group's default (R42). */
  members: { id: string; name: string; email: string; personalUsage: string; personalLimit: PersonalLimitView }[];
  usageByMember: { memberId: string; name: string; email: string; credits: string; events: number }[];
  recentEvents: { id: string; name: string; email: string; credits: string; recordedAt: string }[];
  memberCount: number;
  usageMemberCount: number;
};

export function toDetailsDto(
  d: BillingGroupDetails,
  meta: { period: string; isHistorical: boolean },
): BillingGroupDetailsDto {
  return {
    ...meta,
    group: {
      ...d.group,
      periodLimit: creditsOrNull(d.group.periodLimit),
      defaultPersonalLimit: creditsOrNull(d.group.defaultPersonalLimit),
    },
    periodUsage: formatCredits(d.periodUsage),
    usagePercent: usagePercent(d.periodUsage, d.group.periodLimit),
    overLimit: isOverLimit(d.periodUsage, d.group.periodLimit),
    members: d.members.map((m) => ({
      ...m,
      personalUsage: formatCredits(m.personalUsage),
      personalLimit: personalLimitView(m.personalLimit, d.group.defaultPersonalLimit),
    })),
    usageByMember: d.usageByMember.map((u) => ({ ...u, credits: formatCredits(u.credits) })),
    recentEvents: d.recentEvents.map((e) => ({
      ...e,
      credits: formatCredits(e.credits),
      recordedAt: formatTimestamp(e.recordedAt),
    })),
    memberCount: d.memberCount,
    usageMemberCount: d.usageMemberCount,
  };
}
