import type { Metadata } from "next";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { formatCredits } from "@/lib/credits/rules";
import { getOverview } from "@/lib/organization/access";
import { formatPeriodLabel } from "@/lib/periods/rules";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const member = await requireScreen("overview");
  const overview = await getOverview(memberPrincipal(member));
  const { period } = overview;
  const cards = [
    { label: "Active members", value: overview.activeMembers.toLocaleString("en-US") },
    { label: "Billing groups", value: overview.liveBillingGroups.toLocaleString("en-US") },
    { label: "Unassigned members", value: overview.unassignedMembers.toLocaleString("en-US") },
    { label: "Members without a personal limit", value: overview.membersWithoutLimit.toLocaleString("en-US") },
    { label: "Period usage (Credits)", value: formatCredits(overview.periodUsage) },
  ];
  return (
    <main className="p-4 lg:p-8">
      <h1 className="text-2xl font-semibold">{member.orgName}</h1>
      <p className="mb-6 text-sm text-slate-600">{formatPeriodLabel(period, period)}</p>
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {cards.map((card) => (
          <div key={card.label} className="rounded-lg border border-slate-200 bg-white p-4">
            <dt className="text-sm text-slate-600">{card.label}</dt>
            <dd className="text-2xl font-semibold tabular-nums">{card.value}</dd>
          </div>
        ))}
      </dl>
    </main>
  );
}
