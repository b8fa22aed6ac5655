"use client";

import { useQuery } from "@tanstack/react-query";
import { DailyUsageChart, PeriodUsageChart } from "@/components/charts/usage-charts";
import { fetchConsoleJson } from "@/lib/console-fetch";
import type { BillingGroupTrendsDto } from "@/lib/billing-groups/trends-dto";
import { formatPeriodLabel } from "@/lib/periods/rules";

/** R45: the details drawer's Usage tab — 12 periods against their limits; this period day by day. */
export function UsagePanel({ billingGroupId, period }: { billingGroupId: string; period: string }) {
  const trends = useQuery({
    queryKey: ["billing-groups", "trends", billingGroupId, period],
    queryFn: () =>
      fetchConsoleJson<BillingGroupTrendsDto>(
        `/api/console/billing-groups/${encodeURIComponent(billingGroupId)}/trends`,
        {
          period,
        },
      ),
  });
  if (trends.isError)
    return (
      <p role="alert" className="text-sm text-red-700">
        {trends.error.message}
      </p>
    );
  if (!trends.data) return <p className="text-sm text-slate-600">Loading…</p>;
  return (
    <div className="flex flex-col gap-4">
      {trends.data.daily ? (
        <DailyUsageChart daily={trends.data.daily} periodLabel={formatPeriodLabel(period, period)} />
      ) : null}
      <PeriodUsageChart trends={trends.data} />
    </div>
  );
}
