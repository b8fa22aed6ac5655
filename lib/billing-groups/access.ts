import "server-only";
import { settingsAsOf } from "@/lib/periods/settings-at";
import { type Transaction, withOrg } from "@/db";
import { wakeEventDispatch } from "@/lib/events/wake";
import { BILLING_READ_ROLES, getBillingAccess, requireBillingScope } from "@/lib/auth/billing-access";
import {
  requireApiKey,
  requireMemberRole,
  requireWriter,
  type MemberPrincipal,
  type Principal,
} from "@/lib/auth/principal";
import { ADMIN_ONLY, BILLING_ROLES, type Role } from "@/lib/auth/roles";
import type { BillingGroup } from "@/db/schema";
import { answerOnce, type IdempotencyClaim } from "@/lib/api/idempotency";
import { formatCredits } from "@/lib/credits/rules";
import { ConflictError, ItemsRefusedError, NotFoundError, PreconditionFailedError } from "@/lib/errors";
import { parseUuid, UNASSIGNED_ID } from "@/lib/ids";
import { findActiveMembersByReference } from "@/lib/members/queries";
import { MEMBER_NOT_FOUND } from "@/lib/usage/service";
import { BILLING_GROUPS_PAGE_SIZE } from "@/lib/limits";
import { readClampedPage } from "@/lib/pagination";
import { pagePeriod } from "@/lib/periods/page-period";
import { listBillingGroupsForPeriod } from "@/lib/usage/queries";
import { assignMembersToBillingGroup } from "./assignment";
import { toDetailsDto, toListDto, type BillingGroupDetailsDto, type BillingGroupsListDto } from "./dto";
import * as queries from "./queries";
import type { ListSort } from "./rules";
import * as service from "./service";
import { loadLiveBillingGroup } from "./live";
import * as viewers from "./viewers";
import * as trends from "./trends";
import { toOverviewDto, toTrendsDto, type BillingGroupsOverviewDto, type BillingGroupTrendsDto } from "./trends-dto";
import { periodsEndingWith } from "@/lib/usage/trends";
import { now } from "@/lib/clock";
import { TREND_PERIODS } from "@/lib/limits";

// The Billing Groups screen, its drawers and writes (R9–R15, R19, R33), and the R32a list.
// Billing roles see and change every group; a `member` granted viewer (R3, R33) reads only the
// granted groups, and that narrowing happens in SQL.

/**
 * The charts (usage trends, the overview) are reports: read on the replica when there is one
 * (issue 20). The list, its limits and the drawer read the primary, which the assignment a
 * billing admin just made must show.
 */
const REPORT = { replica: true } as const;

function billingReader(principal: Principal): { reader: MemberPrincipal; viewerId: string | null } {
  const reader = requireMemberRole(principal, BILLING_READ_ROLES);
  const full = (BILLING_ROLES as readonly string[]).includes(reader.member.role);
  return { reader, viewerId: full ? null : reader.member.id };
}

export type BillingGroupsScreen = {
  list: BillingGroupsListDto;
  total: number;
  page: number;
  pageSize: number;
  /** Live groups for the assign pickers; none for a viewer, who must not learn other groups' names. */
  pickerGroups: { id: string; name: string }[];
  viewer: boolean;
};

/** One page of the list: filtered by viewer grants, sorted and paginated in SQL, with the SQL total. */
export async function getBillingGroupsScreen(
  principal: Principal,
  params: { period: string; includeDeletedWithUsage: boolean; sort: ListSort; page: unknown; search?: string },
): Promise<BillingGroupsScreen> {
  const { reader, viewerId } = billingReader(principal);
  const orgId = reader.orgId;
  const pageSize = BILLING_GROUPS_PAGE_SIZE;
  return withOrg(orgId, async (tx) => {
    const list = await readClampedPage(params.page, pageSize, (page) =>
      queries.getBillingGroupsForPeriod(tx, {
        orgId,
        period: params.period,
        includeDeletedWithUsage: params.includeDeletedWithUsage,
        sort: params.sort,
        viewerId,
        search: params.search,
        settingsAsOf: settingsAsOf(params.period),
        page: { limit: pageSize, offset: (page - 1) * pageSize },
      }),
    );
    const pickerGroups = viewerId ? [] : await queries.getLiveBillingGroupOptions(tx, { orgId });
    return {
      list: toListDto(list),
      total: list.total,
      page: list.page,
      pageSize,
      pickerGroups,
      viewer: viewerId !== null,
    };
  });
}

/**
 * R45: the Usage tab of a group's details — its last 12 periods against the limit of each, and for
 * the current period the running total per day with the projected end. Authorized as the details.
 */
export async function getBillingGroupTrends(
  principal: Principal,
  params: { id: string; period: unknown },
): Promise<BillingGroupTrendsDto> {
  const { reader } = billingReader(principal);
  requireBillingScope(await getBillingAccess(reader.member), params.id);
  const billingGroupId = parseUuid(params.id);
  if (!billingGroupId) throw new NotFoundError("That billing group");
  const { orgId } = reader;
  const { period, current, isHistorical } = pagePeriod(reader.member, params.period);
  const at = now();
  return withOrg(
    orgId,
    async (tx) => {
      if (!(await queries.billingGroupExists(tx, { orgId, billingGroupId })))
        throw new NotFoundError("That billing group");
      const window = periodsEndingWith(period, TREND_PERIODS);
      const periods = await trends.groupUsageByPeriod(tx, {
        orgId,
        billingGroupId,
        first: window[0]!,
        last: period,
      });
      const daily = isHistorical ? null : await trends.groupDailyUsage(tx, { orgId, billingGroupId, period });
      return toTrendsDto({ period, current, now: at, periods, daily });
    },
    REPORT,
  );
}

/**
 * R45: the overview the Billing Groups page opens with — the org's usage this period against last
 * period at the same day, and the five groups nearest their limit. Org-wide figures, so billing
 * roles only: a billing group viewer (R33) gets none (null), never totals of groups not granted.
 */
export async function getBillingGroupsOverview(
  principal: Principal,
  params: { period: unknown },
): Promise<BillingGroupsOverviewDto | null> {
  const { reader, viewerId } = billingReader(principal);
  if (viewerId) return null;
  const { orgId } = reader;
  const { period, current } = pagePeriod(reader.member, params.period);
  const at = now();
  return withOrg(
    orgId,
    async (tx) =>
      toOverviewDto({
        period,
        current,
        now: at,
        daily: await trends.orgDailyUsage(tx, { orgId, period }),
        limited: await trends.limitedGroupsUsage(tx, { orgId, period }),
      }),
    REPORT,
  );
}

/** Live billing groups for the pickers of other screens (R13: deleted groups never appear). */
export async function getLiveBillingGroupOptions(principal: Principal) {
  const { orgId } = requireMemberRole(principal, BILLING_ROLES);
  return withOrg(orgId, (tx) => queries.getLiveBillingGroupOptions(tx, { orgId }));
}

/** R15 details for a period; members only for the current one. A viewer reads granted groups only. */
export async function getBillingGroupDetails(
  principal: Principal,
  params: { id: string; period: unknown },
): Promise<BillingGroupDetailsDto> {
  const { reader } = billingReader(principal);
  // Authorized before the id is even looked at: a member without a grant learns nothing (403).
  requireBillingScope(await getBillingAccess(reader.member), params.id);
  const billingGroupId = parseUuid(params.id);
  if (!billingGroupId) throw new NotFoundError("That billing group");
  const { orgId } = reader;
  const { period, isHistorical } = pagePeriod(reader.member, params.period);
  const details = await withOrg(orgId, (tx) =>
    queries.getBillingGroupDetails(tx, {
      orgId,
      billingGroupId,
      period,
      includeMembers: !isHistorical,
      settingsAsOf: isHistorical ? period : undefined,
    }),
  );
  if (!details) throw new NotFoundError("That billing group");
  return toDetailsDto(details, { period, isHistorical });
}

/** Handle / Add Members / the viewer picker: active members matching a search. */
export async function searchMembersForAssignment(
  principal: Principal,
  params: { q: string; scope: "unassigned" | "all" | string },
) {
  const { orgId } = requireMemberRole(principal, BILLING_ROLES);
  return withOrg(orgId, (tx) => queries.searchMembersForAssignment(tx, { ...params, orgId }));
}

/** R33: the Permissions tab — who may view this billing group. Admins only. */
export async function listBillingGroupViewers(principal: Principal, params: { billingGroupId: string }) {
  const { orgId } = requireMemberRole(principal, ADMIN_ONLY);
  const rows = await withOrg(orgId, (tx) =>
    viewers.listBillingGroupViewers(tx, { orgId, billingGroupId: params.billingGroupId }),
  );
  return rows.map((v) => ({ ...v, grantedAt: v.grantedAt.toISOString() }));
}

/** R32a: every group of the period with Unassigned first, for API keys. */
export async function listBillingGroupsForApi(principal: Principal, params: { period: string }) {
  const { orgId } = requireApiKey(principal, "read");
  return withOrg(orgId, (tx) => listBillingGroupsForPeriod(tx, { orgId, period: params.period }));
}

/** A change by a member with one of `roles`, or by an `admin`-scoped API key where billing admins may act (R44). */
function writer(principal: Principal, roles: readonly Role[] = BILLING_ROLES) {
  return requireWriter(principal, roles);
}

export async function createBillingGroup(
  principal: Principal,
  input: { name: string; description: string; defaultPersonalLimit: bigint | null },
) {
  const ctx = writer(principal);
  const { name, description, defaultPersonalLimit } = input;
  return withOrg(ctx.orgId, (tx) => service.createBillingGroup(tx, ctx, { name, description, defaultPersonalLimit }));
}

export async function updateBillingGroup(
  principal: Principal,
  input: { id: string; version: number; name: string; description: string; defaultPersonalLimit?: bigint | null },
) {
  const ctx = writer(principal);
  const { id, version, name, description, defaultPersonalLimit } = input;
  return withOrg(ctx.orgId, (tx) =>
    service.updateBillingGroup(tx, ctx, { id, version, name, description, defaultPersonalLimit }),
  );
}

/** Runs a limit or threshold change, then (after commit) wakes the dispatcher for the alert events it wrote (R40). */
async function withAlertEvents(
  ctx: { orgId: string },
  work: (tx: Transaction) => Promise<{ id: string; version: number; events: number }>,
) {
  const { id, version, events } = await withOrg(ctx.orgId, work);
  await wakeEventDispatch(ctx.orgId, events);
  return { id, version };
}

export async function setBillingGroupPeriodLimit(
  principal: Principal,
  input: { id: string; version: number; limit: bigint | null },
) {
  const ctx = writer(principal);
  const { id, version, limit } = input;
  return withAlertEvents(ctx, (tx) => service.setBillingGroupPeriodLimit(tx, ctx, { id, version, limit }));
}

/** R40: the Alerts tab's `Save`. Same roles as the period limit. */
export async function setAlertThresholds(
  principal: Principal,
  input: { id: string; version: number; thresholds: number[] },
) {
  const ctx = writer(principal);
  const { id, version, thresholds } = input;
  return withAlertEvents(ctx, (tx) => service.setAlertThresholds(tx, ctx, { id, version, thresholds }));
}

export async function deleteBillingGroup(principal: Principal, input: { id: string; confirmName: string }) {
  const ctx = writer(principal);
  return withOrg(ctx.orgId, (tx) =>
    service.deleteBillingGroup(tx, ctx, { id: input.id, confirmName: input.confirmName }),
  );
}

export async function assignMembers(
  principal: Principal,
  input: { memberIds: string[]; billingGroupId: string | null },
) {
  const ctx = writer(principal);
  return withOrg(ctx.orgId, (tx) =>
    assignMembersToBillingGroup(tx, { ...ctx, memberIds: input.memberIds, billingGroupId: input.billingGroupId }),
  );
}

export async function addBillingGroupViewers(
  principal: Principal,
  input: { billingGroupId: string; memberIds: string[] },
) {
  const ctx = writer(principal, ADMIN_ONLY);
  return withOrg(ctx.orgId, (tx) =>
    viewers.grantBillingGroupViewers(tx, ctx, { billingGroupId: input.billingGroupId, memberIds: input.memberIds }),
  );
}

export async function removeBillingGroupViewer(
  principal: Principal,
  input: { billingGroupId: string; memberId: string },
) {
  const ctx = writer(principal, ADMIN_ONLY);
  return withOrg(ctx.orgId, (tx) =>
    viewers.revokeBillingGroupViewer(tx, ctx, { billingGroupId: input.billingGroupId, memberId: input.memberId }),
  );
}

// ---- R44: the admin API. The same service functions as the console's, in one transaction each;
// `If-Match` pins the version the caller read, and POSTs may carry an idempotency claim.

/** A live group's settings as the admin API answers them; `version` is also its `ETag`. */
export type BillingGroupSettings = {
  id: string;
  name: string;
  description: string;
  periodLimit: string | null;
  defaultPersonalLimit: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

function settingsOf(group: BillingGroup): BillingGroupSettings {
  const credits = (value: bigint | null) => (value === null ? null : formatCredits(value));
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    periodLimit: credits(group.periodLimit),
    defaultPersonalLimit: credits(group.defaultPersonalLimit),
    version: group.version,
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
  };
}

/**
 * R10: `unassigned` names the system group, which has no settings to change; any other id that
 * is not a live group of the org is simply not found.
 */
function liveGroupId(id: string): string {
  if (id === UNASSIGNED_ID)
    throw new ConflictError(
      "Unassigned is the system billing group: it cannot be renamed, deleted or given a period limit.",
    );
  const uuid = parseUuid(id);
  if (!uuid) throw new NotFoundError("That billing group");
  return uuid;
}

/**
 * The group locked for a change, at the version the caller names in `If-Match` (412 when it has
 * moved on), or at its current version when the caller named none.
 */
async function lockAtVersion(tx: Transaction, orgId: string, id: string, ifMatch: number | null) {
  const group = await loadLiveBillingGroup(tx, { orgId, id, lock: "no key update" });
  if (ifMatch !== null && group.version !== ifMatch) throw new PreconditionFailedError(`“${group.name}”`);
  return group;
}

/** GET /api/v1/billing-groups/{id}: a live group's settings, for its `ETag`. */
export async function getBillingGroupSettings(principal: Principal, params: { id: string }) {
  const { orgId } = requireApiKey(principal, "read");
  const id = liveGroupId(params.id);
  return withOrg(orgId, async (tx) => settingsOf(await loadLiveBillingGroup(tx, { orgId, id })));
}

/** POST /api/v1/billing-groups (R11, R42). */
export async function createBillingGroupViaApi(
  principal: Principal,
  input: { name: string; description: string; defaultPersonalLimit: bigint | null },
  idempotency: IdempotencyClaim | null,
) {
  const ctx = writer(principal);
  return withOrg(ctx.orgId, (tx) =>
    answerOnce(tx, ctx.orgId, idempotency, async () => {
      const { id } = await service.createBillingGroup(tx, ctx, input);
      return settingsOf(await loadLiveBillingGroup(tx, { orgId: ctx.orgId, id }));
    }),
  );
}

/** PATCH /api/v1/billing-groups/{id} (R11, R42): only the fields given change. */
export async function changeBillingGroupViaApi(
  principal: Principal,
  input: {
    id: string;
    ifMatch: number | null;
    changes: { name?: string; description?: string; defaultPersonalLimit?: bigint | null };
  },
) {
  const ctx = writer(principal);
  const id = liveGroupId(input.id);
  return withOrg(ctx.orgId, async (tx) => {
    const current = await lockAtVersion(tx, ctx.orgId, id, input.ifMatch);
    const { name, description, defaultPersonalLimit } = input.changes;
    await service.updateBillingGroup(tx, ctx, {
      id,
      version: current.version,
      name: name ?? current.name,
      description: description ?? current.description,
      defaultPersonalLimit,
    });
    return settingsOf(await loadLiveBillingGroup(tx, { orgId: ctx.orgId, id }));
  });
}

/** PUT /api/v1/billing-groups/{id}/limit (R19, R40): null clears it. */
export async function setBillingGroupLimitViaApi(
  principal: Principal,
  input: { id: string; ifMatch: number | null; limit: bigint | null },
) {
  const ctx = writer(principal);
  const id = liveGroupId(input.id);
  const { settings, events } = await withOrg(ctx.orgId, async (tx) => {
    const current = await lockAtVersion(tx, ctx.orgId, id, input.ifMatch);
    const changed = await service.setBillingGroupPeriodLimit(tx, ctx, {
      id,
      version: current.version,
      limit: input.limit,
    });
    return { settings: settingsOf(await loadLiveBillingGroup(tx, { orgId: ctx.orgId, id })), events: changed.events };
  });
  await wakeEventDispatch(ctx.orgId, events);
  return settings;
}

/** DELETE /api/v1/billing-groups/{id} (R13): `confirmName` must be the group's name. */
export async function deleteBillingGroupViaApi(
  principal: Principal,
  input: { id: string; ifMatch: number | null; confirmName: string },
) {
  const ctx = writer(principal);
  const id = liveGroupId(input.id);
  return withOrg(ctx.orgId, async (tx) => {
    if (input.ifMatch !== null) await lockAtVersion(tx, ctx.orgId, id, input.ifMatch);
    return service.deleteBillingGroup(tx, ctx, { id, confirmName: input.confirmName });
  });
}

/**
 * POST /api/v1/billing-groups/{id}/members (R9, R12, R38): up to 1,000 members by email or id into
 * a live group or `unassigned`, all or nothing; every entry that names no active member is listed.
 */
export async function assignMembersViaApi(
  principal: Principal,
  input: { billingGroupId: string; members: string[] },
  idempotency: IdempotencyClaim | null,
) {
  const ctx = writer(principal);
  const target = input.billingGroupId === UNASSIGNED_ID ? null : parseUuid(input.billingGroupId);
  if (target === null && input.billingGroupId !== UNASSIGNED_ID) throw new NotFoundError("That billing group");
  return withOrg(ctx.orgId, (tx) =>
    answerOnce(tx, ctx.orgId, idempotency, async () => {
      const found = await findActiveMembersByReference(tx, { orgId: ctx.orgId, references: input.members });
      const unknown = input.members.flatMap((member, index) =>
        found.has(member) ? [] : [{ index, member, ...MEMBER_NOT_FOUND }],
      );
      if (unknown.length > 0)
        throw new ItemsRefusedError(
          "not_found",
          `${unknown.length.toLocaleString("en-US")} of the members are not active members of this organization; nothing was assigned.`,
          unknown,
        );
      const memberIds = input.members.map((member) => found.get(member)!.id);
      const result = await assignMembersToBillingGroup(tx, { ...ctx, memberIds, billingGroupId: target });
      return {
        billingGroup: { id: target ?? UNASSIGNED_ID, name: result.billingGroupName },
        assigned: result.assigned,
        unchanged: result.unchanged,
      };
    }),
  );
}
