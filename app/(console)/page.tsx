import type { Metadata } from "next";
import Link from "next/link";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { creditsFormatter } from "@/lib/format/request-locale";
import { getOverview } from "@/lib/organization/access";
import { formatPeriodLabel } from "@/lib/periods/rules";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const member = await requireScreen("overview");
  const overview = await getOverview(memberPrincipal(member));
  const { period } = overview;
  const credits = await creditsFormatter();
  // Issue 18: each figure leads to the screen that shows (and lets you act on) what it counts.
  const cards = [
    { label: "Active members", value: overview.activeMembers.toLocaleString("en-US"), href: "/members" },
    { label: "Billing groups", value: overview.liveBillingGroups.toLocaleString("en-US"), href: "/billing-groups" },
    {
      label: "Unassigned members",
      value: overview.unassignedMembers.toLocaleString("en-US"),
      href: "/members?billingGroup=unassigned",
    },
    {
      label: "Members without a personal limit",
      value: overview.membersWithoutLimit.toLocaleString("en-US"),
      href: "/members?limit=none",
    },
    {
      label: "Period usage (Credits)",
      value: credits(overview.periodUsage),
      href: "/billing-groups?sort=usage&dir=desc",
    },
  ];
  return (
    <main className="p-4 lg:p-8">
      <h1 className="text-2xl font-semibold">{member.orgName}</h1>
      <p className="mb-6 text-sm text-slate-600">{formatPeriodLabel(period, period)}</p>
      <ul aria-label="This period at a glance" className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {cards.map((card) => (
          <li key={card.label}>
            <Link
              href={card.href}
              className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-indigo-300 hover:bg-indigo-50/40 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              <span className="block text-sm text-slate-600">{card.label}</span>
              <span className="block text-2xl font-semibold tabular-nums">{card.value}</span>
            </Link>
          </li>
        ))}
      </ul>
    </main>
  );
}
