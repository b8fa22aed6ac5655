import type { Metadata } from "next";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { getBillingGroupsOverview, getBillingGroupsScreen } from "@/lib/billing-groups/access";
import { parseListSort } from "@/lib/billing-groups/rules";
import { UrlPagination } from "@/components/ui/pagination";
import { searchParamText } from "@/lib/text";
import { HISTORICAL_PERIOD_REASON, pagePeriod } from "@/lib/periods/page-period";
import { ExportDrawer } from "@/components/export/export-drawer";
import { HistoricalPeriodBanner } from "@/components/historical-period-banner";
import { PeriodSelector } from "@/components/period-selector";
import { BillingGroupsScreen } from "./_components/billing-groups-screen";
import { UsageOverview } from "./_components/usage-overview";

export const metadata: Metadata = { title: "Billing Groups" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function BillingGroupsPage({ searchParams }: { searchParams: SearchParams }) {
  const member = await requireScreen("billing-groups");
  const params = await searchParams;
  const { period, isHistorical, options } = pagePeriod(member, params.period);
  const sort = parseListSort(params.sort, params.dir);
  const search = searchParamText(params.q);
  // R33: a billing group viewer gets their granted groups only — no Unassigned row, no other
  // group's name, count or usage, no picker of other groups — filtered in SQL by the access layer.
  const screen = await getBillingGroupsScreen(memberPrincipal(member), {
    period,
    includeDeletedWithUsage: isHistorical,
    sort,
    page: params.page,
    search,
  });
  const { viewer, pickerGroups } = screen;
  // R45: the page opens with the overview; a search or a later page is about the list alone.
  const overview =
    !search && screen.page === 1 ? await getBillingGroupsOverview(memberPrincipal(member), { period }) : null;
  const exportScope = viewer ? screen.list.groups[0]?.id : "all";

  return (
    <main className="p-4 lg:p-8">
      <BillingGroupsScreen
        title={
          <div>
            <h1 className="text-2xl font-semibold">Billing Groups</h1>
            <p className="text-sm text-slate-600">
              {viewer
                ? "The billing groups you were granted access to: details and exports."
                : "Attribute Credits to cost centers and cap each group's period usage."}
            </p>
          </div>
        }
        actions={
          <>
            <PeriodSelector value={period} options={options} />
            {/* Export works in every period, current or historical (R24). */}
            {exportScope ? (
              <ExportDrawer
                period={period}
                periodLabel={options.find((o) => o.value === period)?.label ?? period}
                initialScope={exportScope}
              />
            ) : null}
          </>
        }
        beforeList={
          <>
            {isHistorical ? (
              <HistoricalPeriodBanner
                path="/billing-groups"
                searchParams={params}
                currentOnly="names, descriptions, Created By and Last Updated"
              />
            ) : null}
            {overview ? <UsageOverview overview={overview} /> : null}
          </>
        }
        list={screen.list}
        pickerGroups={pickerGroups}
        period={period}
        isHistorical={isHistorical}
        sort={sort}
        search={search}
        readOnlyReason={HISTORICAL_PERIOD_REASON}
        viewer={viewer}
        canManagePermissions={member.role === "admin"}
        linkedGroupId={typeof params.group === "string" ? params.group : undefined}
      />
      <UrlPagination list={screen} noun="billing groups" path="/billing-groups" searchParams={params} />
    </main>
  );
}
