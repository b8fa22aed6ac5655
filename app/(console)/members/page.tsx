import type { Metadata } from "next";
import { UrlPagination } from "@/components/ui/pagination";
import { HistoricalPeriodBanner } from "@/components/historical-period-banner";
import { PeriodSelector } from "@/components/period-selector";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { canOpenScreen, ROLE_LABELS } from "@/lib/auth/roles";
import { formatCredits } from "@/lib/credits/rules";
import { parseBillingGroupRef } from "@/lib/ids";
import {
  getMembersScreen,
  MEMBER_SORTS,
  MEMBER_STATUSES,
  type MemberSort,
  type MemberStatus,
} from "@/lib/members/access";
import { MEMBER_ROLES } from "@/lib/members/schemas";
import { personalLimitView } from "@/lib/usage/rules";
import { HISTORICAL_PERIOD_REASON, pagePeriod } from "@/lib/periods/page-period";
import { AddMemberButton } from "./_components/add-member-dialog";
import { billingGroupChoices } from "./_components/choices";
import { ImportButton } from "./_components/import-drawer";
import { MemberFilters } from "./_components/member-filters";
import { MembersTable, type MemberRowView } from "./_components/members-table";

export const metadata: Metadata = { title: "Members" };

type SearchParams = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const pick = <T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined =>
  allowed.includes(value as T) ? (value as T) : undefined;

export default async function MembersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const member = await requireScreen("members");
  const sp = await searchParams;
  const { period, options, isHistorical } = pagePeriod(member, one(sp.period));
  const filters = {
    search: one(sp.q)?.slice(0, 200),
    billingGroup: parseBillingGroupRef(one(sp.billingGroup)) ?? undefined,
    role: pick(one(sp.role), MEMBER_ROLES),
    limitNotConfigured: one(sp.limit) === "none",
    status: pick<MemberStatus>(one(sp.status), MEMBER_STATUSES) ?? "active",
    sort: pick<MemberSort>(one(sp.sort), MEMBER_SORTS) ?? "name",
    dir: one(sp.dir) === "desc" ? ("desc" as const) : ("asc" as const),
    page: Number(one(sp.page)) || 1,
  };
  const { list, billingGroups } = await getMembersScreen(memberPrincipal(member), { ...filters, period });
  const choices = billingGroupChoices(billingGroups);
  const disabledReason = isHistorical ? HISTORICAL_PERIOD_REASON : undefined;
  const periodQuery = `?period=${period}`;

  const rows: MemberRowView[] = list.rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    roleLabel: ROLE_LABELS[row.role],
    billingGroupId: row.billingGroupId,
    billingGroupName: row.billingGroupName ?? "Unassigned",
    limit: personalLimitView(row.personalLimit, row.billingGroupDefaultPersonalLimit),
    limitInput: row.personalLimit === null ? "" : formatCredits(row.personalLimit),
    usageText: formatCredits(row.periodUsage),
    groupCount: row.groupCount,
    deactivated: row.deactivated,
    href: `/members/${row.id}${periodQuery}`,
  }));

  return (
    <main className="p-4 lg:p-8">
      <div className="mb-6 flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">Members</h1>
        <div className="flex flex-wrap items-center gap-4">
          <PeriodSelector value={period} options={options} />
          <ImportButton
            period={period}
            disabledReason={disabledReason}
            canOpenAuditLog={canOpenScreen(member.role, "audit-log")}
          />
          {member.role === "admin" ? (
            <AddMemberButton period={period} billingGroups={choices} disabledReason={disabledReason} />
          ) : null}
        </div>
      </div>
      {isHistorical ? <HistoricalPeriodBanner path="/members" searchParams={sp} currentOnly="names and roles" /> : null}
      <MemberFilters billingGroups={choices} roles={MEMBER_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
      <MembersTable
        key={JSON.stringify(sp)}
        rows={rows}
        period={period}
        billingGroups={choices}
        disabledReason={disabledReason}
        sort={filters.sort}
        dir={filters.dir}
      />
      <UrlPagination list={list} noun="members" path="/members" searchParams={sp} always />
    </main>
  );
}
