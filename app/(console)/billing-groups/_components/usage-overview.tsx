import Link from "next/link";
import { CreditsText } from "@/components/locale-provider";
import { creditsFormatter } from "@/lib/format/request-locale";
import { OrgComparisonChart } from "@/components/charts/usage-charts";
import { Progress } from "@/components/ui/progress";
import type { BillingGroupsOverviewDto } from "@/lib/billing-groups/trends-dto";

/**
 * R45: what the Billing Groups page opens with — the org's usage against last period at the same
 * day, and the five groups nearest their limit (each opens its details). Server-rendered.
 */
export async function UsageOverview({ overview }: { overview: BillingGroupsOverviewDto }) {
  const credits = await creditsFormatter();
  return (
    <section aria-labelledby="usage-overview" className="mb-6">
      <h2 id="usage-overview" className="sr-only">
        Usage overview
      </h2>
      <div className="grid gap-4 lg:grid-cols-2">
        <OrgComparisonChart overview={overview} />
        <section aria-labelledby="nearest-limit" className="rounded-lg border border-slate-200 bg-white p-4">
          <h3 id="nearest-limit" className="font-semibold">
            Nearest their limit
          </h3>
          {overview.nearest.length === 0 ? (
            <p className="mt-1 text-sm text-slate-700">No billing group has a period limit.</p>
          ) : (
            <ol aria-label="Billing groups nearest their limit" className="mt-3 flex flex-col gap-3">
              {overview.nearest.map((group) => (
                <li key={group.id} className="text-sm">
                  <div className="mb-1 flex items-baseline justify-between gap-2">
                    <Link
                      href={`/billing-groups?group=${group.id}`}
                      className="truncate font-medium text-indigo-700 underline-offset-2 hover:underline"
                    >
                      {group.name}
                    </Link>
                    <span className="shrink-0 tabular-nums text-slate-700">
                      <CreditsText value={group.used.text} /> of <CreditsText value={group.limit.text} /> (
                      {group.percent} %)
                    </span>
                  </div>
                  <Progress
                    label={`${group.name} usage of limit`}
                    percent={group.percent}
                    valueText={`${credits(group.used.text)} of ${credits(group.limit.text)} Credits`}
                    over={group.percent > 100}
                  />
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </section>
  );
}
