import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { formatCredits } from "@/lib/credits/rules";
import { isUuid, UNASSIGNED_ID } from "@/lib/ids";
import {
  type ApplyingPersonalLimit,
  applyingPersonalLimit,
  figures,
  personalFigures,
  REJECTION_MESSAGES,
  remainingCredits,
  type Figures,
  type PersonalFigures,
  type PersonalLimitSource,
  type RejectionCode,
} from "./rules";

function memberMatch(member: string) {
  return isUuid(member) ? sql`m.id = ${member.toLowerCase()}::uuid` : sql`lower(m.email) = lower(${member})`;
}

function toBigint(value: unknown): bigint {
  return value === null || value === undefined ? 0n : BigInt(value as bigint | string | number);
}

function toBigintOrNull(value: unknown): bigint | null {
  return value === null || value === undefined ? null : BigInt(value as bigint | string | number);
}

export type Entitlement = {
  member: { id: string; email: string; name: string };
  period: string;
  canUse: boolean;
  reason: RejectionCode | null;
  message: string | null;
  billingGroup: { id: string; name: string };
  /** Usage against the personal limit that applies, and where that limit comes from (R42). */
  personal: PersonalFigures;
  group: Figures;
};

/** One active member's standing for a period, as the database's rules decide it (R18–R20, R42). */
type Standing = {
  member: { id: string; email: string; name: string };
  billingGroup: { id: string; name: string } | null;
  personalLimit: ApplyingPersonalLimit;
  personalUsed: bigint;
  groupLimit: bigint | null;
  groupUsed: bigint;
  reason: RejectionCode | null;
};

/** `member` picks the row as a predicate on `m` (by id or email); the org filter is always applied too. */
async function getMemberStanding(
  db: Executor,
  params: { orgId: string; member: SQL; period: string },
): Promise<Standing | null> {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select m.id, m.email, m.name, m.personal_limit, m.billing_group_id, bg.name as group_name, bg.period_limit as group_limit,
           bg.default_personal_limit as group_default,
           coalesce(mpu.credits, 0) as personal_used, coalesce(gpu.credits, 0) as group_used,
           -- R18–R20 decided by the database's rule (migration 0009), for the smallest event (0.01),
           -- against the personal limit that applies (R42, migration 0013).
           ledgerline_usage_rejection(ledgerline_applying_personal_limit(m.personal_limit, bg.default_personal_limit), mpu.credits,
             case when m.billing_group_id is null then null else bg.period_limit end, gpu.credits, 1) as reason
    from members m
    left join billing_groups bg on bg.org_id = m.org_id and bg.id = m.billing_group_id
    left join member_period_usage mpu on mpu.org_id = m.org_id and mpu.member_id = m.id and mpu.period = ${params.period}
    left join group_period_usage gpu on gpu.org_id = m.org_id and gpu.period = ${params.period}
      and gpu.billing_group_id is not distinct from m.billing_group_id
    where m.org_id = ${params.orgId} and ${params.member} and m.deactivated_at is null
    limit 1`);
  const row = rows[0];
  if (!row) return null;
  const groupId = (row.billing_group_id as string | null) ?? null;
  return {
    member: { id: row.id as string, email: row.email as string, name: row.name as string },
    billingGroup: groupId === null ? null : { id: groupId, name: row.group_name as string },
    personalLimit: applyingPersonalLimit(
      toBigintOrNull(row.personal_limit),
      groupId === null ? null : toBigintOrNull(row.group_default),
    ),
    personalUsed: toBigint(row.personal_used),
    groupLimit: groupId === null ? null : toBigintOrNull(row.group_limit),
    groupUsed: toBigint(row.group_used),
    reason: (row.reason as RejectionCode | null) ?? null,
  };
}

/** R32: can this member use Credits now, which limit binds and what is left. Null = no active member. */
export async function getMemberEntitlement(
  db: Executor,
  params: { orgId: string; member: string; period: string },
): Promise<Entitlement | null> {
  const standing = await getMemberStanding(db, { ...params, member: memberMatch(params.member) });
  if (!standing) return null;
  const { reason } = standing;
  return {
    member: standing.member,
    period: params.period,
    canUse: reason === null,
    reason,
    message: reason ? REJECTION_MESSAGES[reason] : null,
    billingGroup: standing.billingGroup ?? { id: UNASSIGNED_ID, name: "Unassigned" },
    personal: personalFigures(standing.personalUsed, standing.personalLimit),
    group: figures(standing.groupUsed, standing.groupLimit),
  };
}

/**
 * Issue 18 "My usage": a member's own figures for a period and nothing else of the org. The
 * billing group's own usage and limit stay out (a plain member has no right to them); only whether
 * the group's limit is what blocks them, so the page can say why Credits are refused.
 */
export type OwnPeriodUsage = {
  period: string;
  /** Null = Unassigned. */
  billingGroupName: string | null;
  used: bigint;
  /** The personal limit that applies and where it comes from (R18, R42); null = none applies. */
  limit: bigint | null;
  limitSource: PersonalLimitSource | null;
  /** Personal Credits left under the applying limit; null when no limit applies. */
  remaining: bigint | null;
  canUse: boolean;
  reason: RejectionCode | null;
};

/** The signed-in member's own usage: their org and their own id only. Null = not an active member. */
export async function getOwnPeriodUsage(
  db: Executor,
  params: { orgId: string; memberId: string; period: string },
): Promise<OwnPeriodUsage | null> {
  const standing = await getMemberStanding(db, {
    orgId: params.orgId,
    member: sql`m.id = ${params.memberId}::uuid`,
    period: params.period,
  });
  if (!standing) return null;
  const { limit, source } = standing.personalLimit;
  const used = standing.personalUsed;
  return {
    period: params.period,
    billingGroupName: standing.billingGroup?.name ?? null,
    used,
    limit,
    limitSource: source,
    remaining: remainingCredits(used, limit),
    canUse: standing.reason === null,
    reason: standing.reason,
  };
}

export type ApiBillingGroup = {
  id: string;
  name: string;
  description: string;
  members: number;
  periodUsage: string;
  periodLimit: string | null;
  deleted: boolean;
};

/**
 * R32a: `Unassigned` first, then live billing groups by name; a deleted group is listed (flagged)
 * only for a period in which usage was attributed to it, so the rows always add up.
 */
export async function listBillingGroupsForPeriod(
  db: Executor,
  params: { orgId: string; period: string },
): Promise<ApiBillingGroup[]> {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select bg.id, bg.name, bg.description, bg.period_limit, bg.deleted_at is not null as deleted,
           coalesce(gpu.credits, 0) as usage,
           (select count(*) from members m where m.org_id = bg.org_id and m.billing_group_id = bg.id and m.deactivated_at is null) as members
    from billing_groups bg
    left join group_period_usage gpu on gpu.org_id = bg.org_id and gpu.period = ${params.period} and gpu.billing_group_id = bg.id
    where bg.org_id = ${params.orgId} and (bg.deleted_at is null or coalesce(gpu.credits, 0) > 0)
    order by lower(bg.name), bg.id`);
  const unassigned = await db.execute<Record<string, unknown>>(sql`
    select
      (select count(*) from members m where m.org_id = ${params.orgId} and m.billing_group_id is null and m.deactivated_at is null) as members,
      (select coalesce(sum(credits), 0) from group_period_usage g
        where g.org_id = ${params.orgId} and g.period = ${params.period} and g.billing_group_id is null) as usage`);
  const first = unassigned[0] ?? {};
  return [
    {
      id: UNASSIGNED_ID,
      name: "Unassigned",
      description: "",
      members: Number(first.members ?? 0),
      periodUsage: formatCredits(toBigint(first.usage)),
      periodLimit: null,
      deleted: false,
    },
    ...rows.map((row) => ({
      id: row.id as string,
      name: row.name as string,
      description: row.description as string,
      members: Number(row.members),
      periodUsage: formatCredits(toBigint(row.usage)),
      periodLimit: row.period_limit === null ? null : formatCredits(toBigint(row.period_limit)),
      deleted: Boolean(row.deleted),
    })),
  ];
}

export type ApiMember = {
  id: string;
  name: string;
  email: string;
  role: string;
  billingGroup: { id: string; name: string };
  personalLimit: string | null;
  periodUsage: string;
  deactivated: boolean;
};

export type MembersPage = { members: ApiMember[]; nextCursor: string | null };

/**
 * R32a: members ordered by email (unique per org, case-insensitive), paged by keyset so a page
 * costs the same at any depth. The cursor is the last email of the previous page.
 */
export async function listMembersPage(
  db: Executor,
  params: {
    orgId: string;
    period: string;
    limit: number;
    cursor: string | null;
    email: string | null;
    billingGroup: string | null;
    includeDeactivated: boolean;
  },
): Promise<MembersPage> {
  const filters = [sql`m.org_id = ${params.orgId}`];
  if (!params.includeDeactivated) filters.push(sql`m.deactivated_at is null`);
  if (params.email) filters.push(sql`lower(m.email) = lower(${params.email})`);
  if (params.billingGroup === UNASSIGNED_ID) filters.push(sql`m.billing_group_id is null`);
  else if (params.billingGroup) filters.push(sql`m.billing_group_id = ${params.billingGroup}::uuid`);
  if (params.cursor) filters.push(sql`lower(m.email) > ${params.cursor}`);
  const rows = await db.execute<Record<string, unknown>>(sql`
    select m.id, m.name, m.email, m.role, m.personal_limit, m.billing_group_id, bg.name as group_name,
           m.deactivated_at is not null as deactivated, coalesce(mpu.credits, 0) as usage
    from members m
    left join billing_groups bg on bg.org_id = m.org_id and bg.id = m.billing_group_id
    left join member_period_usage mpu on mpu.org_id = m.org_id and mpu.member_id = m.id and mpu.period = ${params.period}
    where ${sql.join(filters, sql` and `)}
    order by lower(m.email)
    limit ${params.limit + 1}`);
  const page = rows.slice(0, params.limit);
  const members = page.map((row) => ({
    id: row.id as string,
    name: row.name as string,
    email: row.email as string,
    role: row.role as string,
    billingGroup:
      row.billing_group_id === null
        ? { id: UNASSIGNED_ID, name: "Unassigned" }
        : { id: row.billing_group_id as string, name: row.group_name as string },
    personalLimit: row.personal_limit === null ? null : formatCredits(toBigint(row.personal_limit)),
    periodUsage: formatCredits(toBigint(row.usage)),
    deactivated: Boolean(row.deactivated),
  }));
  const last = members[members.length - 1];
  return { members, nextCursor: rows.length > params.limit && last ? last.email.toLowerCase() : null };
}
