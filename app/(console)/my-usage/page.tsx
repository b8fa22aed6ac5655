import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Progress } from "@/components/ui/progress";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { usagePercent } from "@/lib/billing-groups/rules";
import { creditsFormatter } from "@/lib/format/request-locale";
import { formatPeriodLabel } from "@/lib/periods/rules";
import { getMyUsage } from "@/lib/usage/access";
import { ownLimitSourceLabel, ownStandingMessage } from "@/lib/usage/rules";

export const metadata: Metadata = { title: "My usage" };

function Figure({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-sm text-slate-600">{term}</dt>
      <dd className="text-lg font-semibold tabular-nums">{children}</dd>
    </div>
  );
}

// Issue 18: every signed-in member's own page, and the only one a plain member has (R3). It shows
// their own figures and nothing else of the org.
export default async function MyUsagePage() {
  const member = await requireScreen("my-usage");
  const usage = await getMyUsage(memberPrincipal(member));
  // The guard has just read this member as active: only a deactivation in between gets here.
  if (!usage) redirect("/sign-in");

  const formatCredits = await creditsFormatter();
  const groupName = usage.billingGroupName ?? "Unassigned";
  const { used, limit } = usage;
  const canHaveUsage = limit !== null && limit > 0n;
  const standing = ownStandingMessage({
    reason: usage.reason,
    remaining: usage.remaining === null ? null : formatCredits(usage.remaining),
    billingGroupName: groupName,
  });

  return (
    <main className="flex flex-col gap-6 p-4 lg:p-8">
      <div>
        <h1 className="text-2xl font-semibold">My usage</h1>
        <p className="text-sm text-slate-600">
          {member.name} · {member.email}
        </p>
      </div>
      <section aria-labelledby="my-usage-period" className="max-w-2xl rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="my-usage-period" className="text-lg font-semibold">
          This period
        </h2>
        <p className="mb-4 text-sm text-slate-600">{formatPeriodLabel(usage.period, usage.period)}, in Credits</p>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-4 sm:grid-cols-2">
          <Figure term="Period usage">{formatCredits(used)} Credits</Figure>
          <Figure term="Personal usage limit">
            {limit === null ? "Not configured" : `${formatCredits(limit)} Credits`}
          </Figure>
          <Figure term="Limit source">{ownLimitSourceLabel(usage.limitSource, groupName)}</Figure>
          <Figure term="Remaining">{formatCredits(usage.remaining ?? 0n)} Credits</Figure>
          <Figure term="Billing group">{groupName}</Figure>
        </dl>
        {canHaveUsage ? (
          <div className="mt-5">
            <Progress
              label="Usage against your limit"
              percent={usagePercent(used, limit) ?? 0}
              valueText={`${formatCredits(used)} of ${formatCredits(limit)} Credits`}
              over={used > limit}
            />
          </div>
        ) : null}
        <p
          className={`mt-5 rounded-md px-3 py-2 text-sm ${usage.canUse ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}
        >
          {standing}
        </p>
      </section>
      <p className="max-w-2xl text-sm text-slate-600">
        Your usage counts from the first of the month (UTC) and starts from 0 each month. Ask an admin if your limit or
        billing group should change.
      </p>
    </main>
  );
}
